// The chat page, its assets, and sign-in: `/signin?token=<token>` (or `/?link=<token>`), the
// personal link Leerlus sends in chat, or `?as=<personId>` (demo only) start a session and
// redirect to a clean URL (the link's page), so the token does not linger in history or in
// Referer headers.
import { fileURLToPath } from "node:url";
import { type Request, type Response, Router } from "express";
import { webLinkTarget } from "../../src/domain/link-purpose.ts";
import type { Locale } from "../../src/domain/locale.ts";
import { renderChatPage, renderNoticePage } from "./render-page.ts";
import { errorCode, errorName, type WebRouteContext } from "./web-access.ts";
import { guessLocale } from "./web-session.ts";

const ASSETS = fileURLToPath(new URL("./assets/", import.meta.url));

// The security headers (CSP and the rest) come from the HTTP app; a personal page is never cached.
const PAGE_SECURITY_HEADERS = { "Cache-Control": "no-store" };

export function createPageRouter(context: WebRouteContext): Router {
  const router = Router();
  const { config } = context;

  router.get("/web/app.js", (_request, response) => sendAsset(response, "app.js", "text/javascript; charset=utf-8"));
  router.get("/web/app.css", (_request, response) => sendAsset(response, "app.css", "text/css; charset=utf-8"));
  router.get("/web/favicon.svg", (_request, response) => sendAsset(response, "favicon.svg", "image/svg+xml"));
  // Browsers ask for /favicon.ico on pages that name no icon (JSON answers, the queue dashboard).
  router.get("/favicon.ico", (_request, response) => response.redirect(301, "/web/favicon.svg"));

  router.get("/signin", (request, response) => guarded(request, response, () => signIn(request, response)));
  router.get("/", (request, response) => guarded(request, response, () => showPage(request, response)));
  return router;

  async function guarded(request: Request, response: Response, page: () => Promise<void>): Promise<void> {
    response.set(PAGE_SECURITY_HEADERS);
    try {
      await page();
    } catch (error) {
      context.logger.error(
        { code: "WEB_PAGE_FAILED", error: errorName(error), cause: errorCode(error) },
        "web page failed",
      );
      const locale = guessLocale(request);
      notice(context, response, 500, locale, "error.title", "error.body");
    }
  }

  /** A personal link: signs its person in, whatever platform they came from, and lands on its page. */
  async function signIn(request: Request, response: Response): Promise<void> {
    const locale = guessLocale(request);
    const token = request.query.token ?? request.query.link;
    const verified = typeof token === "string" ? config.linkSigner.verify(token, config.now?.() ?? new Date()) : null;
    if (!verified?.ok) {
      const key = verified?.code === "LINK_EXPIRED" ? "auth.linkExpired" : "auth.linkInvalid";
      return notice(context, response, 401, locale, "auth.title", key);
    }
    const target = webLinkTarget(verified.purpose);
    const directory = config.directory;
    const person = target
      ? await (directory.admit ? directory.admit(verified.personId) : directory.person(verified.personId))
      : null;
    if (!target || !person) return notice(context, response, 401, locale, "auth.title", "auth.linkInvalid");
    context.sessions.start(response, person.id, request.secure);
    response.redirect(303, target);
  }

  async function showPage(request: Request, response: Response): Promise<void> {
    const locale = guessLocale(request);
    const link = request.query.link;
    const as = request.query.as;

    if (link !== undefined) return signIn(request, response);

    if (as !== undefined) {
      if (!config.demo) return notice(context, response, 403, locale, "auth.forbiddenTitle", "auth.demoOnly");
      const personas = await config.directory.personas();
      const persona = typeof as === "string" ? personas.find((candidate) => candidate.id === as) : undefined;
      if (!persona) return notice(context, response, 404, locale, "auth.title", "auth.personaUnknown");
      context.sessions.start(response, persona.id, request.secure);
      return response.redirect(303, "/");
    }

    const viewer = await context.sessions.viewer(request);
    if (!viewer) {
      if (config.demo) {
        const t = context.translate(locale);
        const html = renderNoticePage({
          locale,
          t,
          title: t("persona.chooseTitle"),
          message: t("persona.chooseIntro"),
          personas: await config.directory.personas(),
        });
        return void response.status(200).type("html").send(html);
      }
      return notice(context, response, 401, locale, "auth.title", "auth.signInNeeded");
    }

    const [conversations, personas, portfolio] = await Promise.all([
      config.directory.conversationsFor(viewer.id),
      config.demo ? config.directory.personas() : Promise.resolve(null),
      config.portfolio ? config.portfolio(viewer.id) : Promise.resolve(null),
    ]);
    const pages = [...(config.lessons ? (["lessons"] as const) : []), ...(portfolio ? (["portfolio"] as const) : [])];
    const html = renderChatPage({ viewer, conversations, personas, pages, t: context.translate(viewer.locale) });
    response.status(200).type("html").send(html);
  }
}

function notice(
  context: WebRouteContext,
  response: Response,
  status: number,
  locale: Locale,
  titleKey: string,
  messageKey: string,
): void {
  const t = context.translate(locale);
  response
    .status(status)
    .type("html")
    .send(renderNoticePage({ locale, t, title: t(titleKey), message: t(messageKey) }));
}

function sendAsset(response: Response, file: string, contentType: string): void {
  response.set({ "Content-Type": contentType, "X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache" });
  response.sendFile(file, { root: ASSETS, headers: { "Content-Type": contentType } });
}

/** Paths whose clients read JSON (or a platform's own format): a miss there stays a JSON 404. */
const MACHINE_PATHS = /^\/(web\/api|api|slack|healthz|readyz|metrics)(\/|$)/;

/**
 * A page nobody has: an HTML 404 in the reader's language (the signed-in person's, else the
 * browser's) for people; anything else falls through to the HTTP app's JSON 404.
 */
export function createNotFoundPage(context: WebRouteContext) {
  return async (request: Request, response: Response, next: () => void): Promise<void> => {
    const wantsPage = request.method === "GET" || request.method === "HEAD";
    if (!wantsPage || MACHINE_PATHS.test(request.path) || request.accepts(["json", "html"]) !== "html") return next();
    let locale = guessLocale(request);
    try {
      locale = (await context.sessions.viewer(request))?.locale ?? locale;
    } catch {
      // A directory that can't answer only costs the person their language preference here.
    }
    const t = context.translate(locale);
    response.set(PAGE_SECURITY_HEADERS);
    response
      .status(404)
      .type("html")
      .send(
        renderNoticePage({
          locale,
          t,
          title: t("notFound.title"),
          message: t("notFound.body"),
          back: t("notFound.back"),
        }),
      );
  };
}
