// The advisers' digest pages: GET /digests?token=… (the archive of the organisation's
// digests) and GET /digests/:id?token=… (one digest; `format=md` or `format=pdf` to
// download it). The token is the signed link from the adviser's chat message: a forged,
// altered or expired one, or one of someone who is no longer an adviser there, gets 403.
import { fileURLToPath } from "node:url";
import { type Request, type Response, Router } from "express";
import type { Locale } from "../../src/domain/locale.ts";
import type { Role } from "../../src/domain/role.ts";
import type { StoredDigest } from "../../src/ports/store.ts";
import { digestPurpose } from "../../src/use-cases/digest/digest-link.ts";
import type { DigestView } from "../../src/use-cases/digest/digest-view.ts";
import { formatDay } from "../../src/use-cases/digest/digest-view.ts";
import type { LinkSigner } from "../../src/use-cases/signed-link.ts";
import { renderArchivePage, renderDigestNotice, renderDigestPage } from "./digest-html.ts";
import { errorCode, errorName } from "./web-access.ts";
import type { WebText } from "./web-config.ts";
import { guessLocale } from "./web-session.ts";

const ASSETS = fileURLToPath(new URL("./assets/", import.meta.url));

export type DigestPageConfig = {
  signer: LinkSigner;
  digest(digestId: string): Promise<StoredDigest | null>;
  list(organisationId: string): Promise<{ id: string; periodStart: Date; periodEnd: Date }[]>;
  person(
    personId: string,
  ): Promise<{ id: string; organisationId: string; locale: Locale; roles: Role[]; organisationName: string } | null>;
  view(digest: StoredDigest, locale: Locale, organisationName: string): DigestView;
  markdown(view: DigestView): string;
  pdf(view: DigestView): Promise<Buffer>;
  text: WebText;
  logger?: { error(data: object, message: string): void };
  now?: () => Date;
};

const HEADERS = {
  "Content-Security-Policy":
    "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "no-store",
  "X-Robots-Tag": "noindex",
};

const ALLOWED_ROLES: readonly Role[] = ["adviser", "admin"];

export function createDigestRouter(config: DigestPageConfig): Router {
  const router = Router();
  const now = config.now ?? (() => new Date());
  const t = (locale: Locale, key: string, vars?: Record<string, string | number>) =>
    config.text(locale, `digests.${key}`, vars);

  // The web chat's one stylesheet, served here as well so the digest pages stand on their own.
  router.get("/digests/digest.css", (_request, response) => {
    response.set({ "Content-Type": "text/css; charset=utf-8", "Cache-Control": "no-cache" });
    response.sendFile("app.css", { root: ASSETS, headers: { "Content-Type": "text/css; charset=utf-8" } });
  });

  /** The adviser the token names, when it is valid for their organisation and they still advise there. */
  async function reader(request: Request) {
    const token = request.query.token;
    if (typeof token !== "string") return null;
    const verified = config.signer.verify(token, now());
    if (!verified.ok) return null;
    const person = await config.person(verified.personId);
    if (!person || verified.purpose !== digestPurpose(person.organisationId)) return null;
    if (!person.roles.some((role) => ALLOWED_ROLES.includes(role))) return null;
    return { person, token };
  }

  function forbidden(request: Request, response: Response): void {
    const locale = guessLocale(request);
    response
      .status(403)
      .type("html")
      .send(renderDigestNotice(locale, t(locale, "page.forbidden-title"), t(locale, "page.forbidden")));
  }

  const guarded =
    (handle: (request: Request, response: Response) => Promise<void>) =>
    async (request: Request, response: Response): Promise<void> => {
      response.set(HEADERS);
      try {
        await handle(request, response);
      } catch (error) {
        config.logger?.error(
          { code: "DIGEST_PAGE_FAILED", error: errorName(error), cause: errorCode(error) },
          "digest page failed",
        );
        const locale = guessLocale(request);
        response
          .status(500)
          .type("html")
          .send(
            renderDigestNotice(locale, config.text(locale, "web.error.title"), config.text(locale, "web.error.body")),
          );
      }
    };

  router.get(
    "/digests",
    guarded(async (request, response) => {
      const access = await reader(request);
      if (!access) return forbidden(request, response);
      const { person, token } = access;
      const locale = person.locale;
      const digests = await config.list(person.organisationId);
      const html = renderArchivePage({
        lang: locale,
        title: t(locale, "page.archive-title", { organisation: person.organisationName }),
        empty: t(locale, "page.archive-empty"),
        items: digests.map((digest) => ({
          href: `/digests/${encodeURIComponent(digest.id)}?token=${encodeURIComponent(token)}`,
          label: t(locale, "page.archive-item", {
            from: formatDay(digest.periodStart, locale),
            to: formatDay(digest.periodEnd, locale),
          }),
        })),
      });
      response.status(200).type("html").send(html);
    }),
  );

  router.get(
    "/digests/:id",
    guarded(async (request, response) => {
      const access = await reader(request);
      if (!access) return forbidden(request, response);
      const { person, token } = access;
      const locale = person.locale;
      const id = String(request.params.id);
      const digest = await config.digest(id);
      if (!digest || digest.organisationId !== person.organisationId) {
        response
          .status(404)
          .type("html")
          .send(renderDigestNotice(locale, t(locale, "page.forbidden-title"), t(locale, "page.not-found")));
        return;
      }
      const view = config.view(digest, locale, person.organisationName);
      const fileName = `digest-${digest.periodEnd.toISOString().slice(0, 10)}`;
      const format = request.query.format;
      if (format === "md") {
        response
          .status(200)
          .set("Content-Disposition", `attachment; filename="${fileName}.md"`)
          .type("text/markdown; charset=utf-8")
          .send(config.markdown(view));
        return;
      }
      if (format === "pdf") {
        const pdf = await config.pdf(view);
        response
          .status(200)
          .set("Content-Disposition", `attachment; filename="${fileName}.pdf"`)
          .type("application/pdf")
          .send(pdf);
        return;
      }
      const self = `/digests/${encodeURIComponent(id)}?token=${encodeURIComponent(token)}`;
      const html = renderDigestPage({
        view,
        links: {
          markdown: `${self}&format=md`,
          pdf: `${self}&format=pdf`,
          archive: `/digests?token=${encodeURIComponent(token)}`,
        },
        words: {
          markdown: t(locale, "page.markdown"),
          pdf: t(locale, "page.pdf"),
          archive: t(locale, "page.archive"),
          hidden: t(locale, "chart.hidden"),
          period: t(locale, "chart.period"),
        },
      });
      response.status(200).type("html").send(html);
    }),
  );
  return router;
}
