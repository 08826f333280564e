// CSRF defence for everything a browser can be made to send: a request that changes state
// must come from Leerlus's own pages. Browsers say where a request came from (Sec-Fetch-Site,
// Origin) and a page cannot forge either, so a request that names another site is refused.
// A request naming no site at all is not from a modern browser (they send Origin on every
// POST), so it carries no victim's cookies: the session cookie is SameSite=Lax as well.
import type { NextFunction, Request, Response } from "express";
import type { Locale } from "../domain/locale.ts";

export type HttpText = (locale: Locale, key: string, vars?: Record<string, string | number>) => string;

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** Authenticated by the platform's signature or token on every request, and posted by servers. */
const SIGNED_ENDPOINTS = new Set(["/slack/events", "/api/messages"]);
const SAME_ORIGIN_SITES = new Set(["same-origin", "none"]);

/** A GET that signs someone in (the demo persona switcher) changes state too; `?link=` does not: chat apps open it. */
function changesState(request: Request): boolean {
  if (!SAFE_METHODS.has(request.method)) return !SIGNED_ENDPOINTS.has(request.path);
  return request.path === "/" && typeof request.query.as !== "undefined";
}

function crossSite(request: Request, trustedOrigin: string | undefined): boolean {
  // The browser's own verdict, which no page can set, decides when it is there: under the
  // app's Referrer-Policy no-referrer a page's own form post carries `Origin: null`.
  const site = request.get("sec-fetch-site");
  if (site !== undefined) return !SAME_ORIGIN_SITES.has(site);
  const origin = request.get("origin");
  if (origin === undefined) return false;
  return origin !== trustedOrigin && origin !== `${request.protocol}://${request.get("host")}`;
}

function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}

export function sameOriginOnly(input: { publicUrl?: string; text?: HttpText }) {
  const trustedOrigin = input.publicUrl ? new URL(input.publicUrl).origin : undefined;
  return (request: Request, response: Response, next: NextFunction): void => {
    if (!changesState(request) || !crossSite(request, trustedOrigin)) {
      next();
      return;
    }
    response.status(403);
    const wantsPage = !request.path.startsWith("/web/api/") && request.accepts(["json", "html"]) === "html";
    if (wantsPage && input.text) {
      const locale: Locale = request.acceptsLanguages("nl", "en") === "en" ? "en" : "nl";
      const title = escapeHtml(input.text(locale, "http.crossSite.title"));
      const body = escapeHtml(input.text(locale, "http.crossSite.body"));
      response
        .type("html")
        .send(
          `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${title}</title></head>` +
            `<body><main><h1>${title}</h1><p>${body}</p></main></body></html>`,
        );
      return;
    }
    response.json({
      error: {
        code: "CROSS_SITE_REFUSED",
        message: "A cross-site request may not change anything here; send it from Leerlus's own pages.",
      },
    });
  };
}
