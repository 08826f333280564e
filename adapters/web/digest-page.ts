// The advisers' digest pages: GET /digests?token=… (the archive of the organisation's
// digests) and GET /digests/:id?token=… (one digest; `format=md` or `format=pdf` to
// download it). The token is the signed link from the adviser's chat message: a forged,
// altered or expired one, or one of someone who is no longer an adviser there, gets 403.
// The same verified link lets the adviser mark suggested interventions (POST
// /digests/:id/interventions, …/interventions/:mark/given) and add the organisation's own
// (POST /digests/:id/catalogue); each form acts once, by its key.
import { fileURLToPath } from "node:url";
import express, { type Request, type Response, Router } from "express";
import { formatDay } from "../../src/domain/digest-day.ts";
import { formatDateTime } from "../../src/domain/format-date.ts";
import { digestPurpose } from "../../src/domain/link-purpose.ts";
import type { Locale } from "../../src/domain/locale.ts";
import type { Role } from "../../src/domain/role.ts";
import type { StoredDigest } from "../../src/ports/digest-store.ts";
import type { DigestView, LiveLoop } from "../../src/ports/digest-view.ts";
import type { InterventionMarking, MarkOutcome } from "../../src/ports/intervention-marking.ts";
import type { LinkSigner } from "../../src/ports/link-signer.ts";
import type { ControlWords, DigestControls } from "./digest-controls.ts";
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
  view(digest: StoredDigest, locale: Locale, organisationName: string, live?: LiveLoop): DigestView;
  /** The adviser's controls; without them the page only reads. */
  loop?: {
    state(organisationId: string): Promise<{ live: LiveLoop; projects: { id: string; name: string }[]; today: string }>;
    marking: InterventionMarking;
    themes(locale: Locale): { id: string; label: string }[];
  };
  markdown(view: DigestView): string;
  pdf(view: DigestView): Promise<Buffer>;
  text: WebText;
  logger?: { error(data: object, message: string): void };
  now?: () => Date;
};

const HEADERS = {
  "Content-Security-Policy":
    "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  // The link's token never leaves in a Referer, not even to Leerlus's other pages.
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "no-store",
  "X-Robots-Tag": "noindex",
};

const ALLOWED_ROLES: readonly Role[] = ["adviser", "admin"];
const DONE = new Set(["planned", "given", "dismissed", "added", "already"]);
const CONTROL_WORDS = [
  "summary",
  "projects",
  "date",
  "plan",
  "given",
  "dismiss",
  "given-on",
  "mark-given",
  "add-title",
  "add-intro",
  "theme",
  "kind",
  "name",
  "description",
  "add",
  "own",
] as const;

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
      const label = (digest: (typeof digests)[number], format: (date: Date, locale: Locale) => string) =>
        t(locale, "page.archive-item", {
          from: format(digest.periodStart, locale),
          to: format(digest.periodEnd, locale),
        });
      const byDay = digests.map((digest) => label(digest, formatDay));
      const html = renderArchivePage({
        lang: locale,
        title: t(locale, "page.archive-title", { organisation: person.organisationName }),
        empty: t(locale, "page.archive-empty"),
        // Two digests of the same days (one made on demand) are told apart by their times.
        items: digests.map((digest, index) => ({
          href: `/digests/${encodeURIComponent(digest.id)}?token=${encodeURIComponent(token)}`,
          label:
            byDay.indexOf(byDay[index] as string) === byDay.lastIndexOf(byDay[index] as string)
              ? (byDay[index] as string)
              : label(digest, formatDateTime),
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
      const loop = config.loop;
      const state = loop ? await loop.state(person.organisationId) : undefined;
      const controls: DigestControls | undefined =
        loop && state
          ? {
              base: `/digests/${encodeURIComponent(id)}`,
              query: `?token=${encodeURIComponent(token)}`,
              projects: state.projects,
              themes: loop.themes(locale),
              own: state.live.custom.map((item) => ({ title: item.title, theme: item.theme, kind: item.kind })),
              today: state.today,
              words: controlWords(locale),
            }
          : undefined;
      const done = typeof request.query.done === "string" && DONE.has(request.query.done) ? request.query.done : null;
      const html = renderDigestPage({
        view: state ? config.view(digest, locale, person.organisationName, state.live) : view,
        controls,
        ...(done ? { flash: t(locale, `controls.done.${done}`) } : {}),
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

  function controlWords(locale: Locale): ControlWords {
    const words = Object.fromEntries(CONTROL_WORDS.map((key) => [key, t(locale, `controls.${key}`)]));
    return {
      ...words,
      informal: t(locale, "intervention.informal"),
      formal: t(locale, "intervention.formal"),
    } as ControlWords;
  }

  /** A form's answer: back to the digest saying what happened, or a 400 naming the problem. */
  const form = express.urlencoded({ extended: false, limit: "16kb", parameterLimit: 300 });
  const acting = (
    act: (
      marking: InterventionMarking,
      reader: { id: string; organisationId: string },
      request: Request,
    ) => Promise<MarkOutcome>,
    anchor: string,
  ) =>
    guarded(async (request, response) => {
      const access = await reader(request);
      if (!access || !config.loop) return forbidden(request, response);
      const { person, token } = access;
      const locale = person.locale;
      const id = String(request.params.id);
      const self = `/digests/${encodeURIComponent(id)}?token=${encodeURIComponent(token)}`;
      const outcome = await act(config.loop.marking, person, request);
      if (outcome.ok) return void response.redirect(303, `${self}&done=${outcome.done}#${anchor}`);
      response
        .status(400)
        .type("html")
        .send(
          renderDigestNotice(
            locale,
            t(locale, "controls.invalid.title"),
            t(locale, `controls.invalid.${outcome.problem}`),
            {
              href: self,
              label: t(locale, "controls.back"),
            },
          ),
        );
    });

  router.post(
    "/digests/:id/interventions",
    form,
    acting(
      (marking, person, request) => marking.mark(person, String(request.params.id), request.body),
      "s-interventions",
    ),
  );
  router.post(
    "/digests/:id/interventions/:mark/given",
    form,
    acting(
      (marking, person, request) => marking.markGiven(person, String(request.params.mark), request.body),
      "s-loop",
    ),
  );
  router.post(
    "/digests/:id/catalogue",
    form,
    acting((marking, person, request) => marking.addOwn(person, request.body), "s-own"),
  );
  return router;
}
