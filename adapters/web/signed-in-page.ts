import type { Request, Response } from "express";
import { pageShell } from "./page-shell.ts";
import { escapeHtml } from "./render-html.ts";
import { errorCode, errorName, type WebRouteContext } from "./web-access.ts";
import type { Viewer } from "./web-config.ts";
import { guessLocale } from "./web-session.ts";

/** Personal pages are never cached; the security headers come from the HTTP app (helmet). */
export const PAGE_HEADERS = { "Cache-Control": "no-store" };

export function noticeMain(title: string, message: string): string {
  return `<main id="main" class="notice"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></main>`;
}

/**
 * A page for the signed-in person (the web chat's session): 401 with a short explanation in
 * the visitor's language without one, and a logged 500 (codes only) when the page fails.
 */
export function signedInPage(
  context: WebRouteContext,
  failureCode: string,
  handler: (request: Request, response: Response, viewer: Viewer) => Promise<void>,
) {
  return async (request: Request, response: Response): Promise<void> => {
    response.set(PAGE_HEADERS);
    try {
      const viewer = await context.sessions.viewer(request);
      if (!viewer) {
        const locale = guessLocale(request);
        const t = context.translate(locale);
        response
          .status(401)
          .type("html")
          .send(pageShell(locale, t("auth.title"), noticeMain(t("auth.title"), t("auth.signInNeeded"))));
        return;
      }
      await handler(request, response, viewer);
    } catch (error) {
      context.logger.error({ code: failureCode, error: errorName(error), cause: errorCode(error) }, "web page failed");
      response.status(500).type("text/plain").send("Internal error");
    }
  };
}
