// GET /privacy and /terms: the pages the Teams manifest (and anyone) links to, public and
// read-only. In Dutch or English by ?lang, else by Accept-Language; ?organisation=<id> picks the
// organisation when an installation serves several (default: the first). Every word comes from
// prompts/legal.*.yaml; what the organisation filled in is escaped and marked as its text.
import { type Request, type Response, Router } from "express";
import type { Locale } from "../../src/domain/locale.ts";
import type { LegalPage, LegalPages } from "../../src/ports/legal-page.ts";
import type { Logger } from "../../src/ports/logger.ts";
import { pageShell } from "./page-shell.ts";
import { escapeHtml, renderText } from "./render-html.ts";
import { guessLocale } from "./web-session.ts";

export type LegalPagesConfig = {
  page: LegalPages;
  text: (locale: Locale, key: string) => string;
  logger: Logger;
};

const ORGANISATION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function localeOf(request: Request): Locale {
  const lang = request.query.lang;
  return lang === "en" || lang === "nl" ? lang : guessLocale(request);
}

export function renderLegalPage(page: LegalPage, query: string): string {
  const lines = (section: LegalPage["sections"][number]) =>
    section.lines.map((line) => {
      const text = renderText(line.text);
      return line.missing ? `<span class="missing">${text}</span>` : text;
    });
  const sections = page.sections
    .map((section) => {
      const body = section.list
        ? `<ul>${lines(section)
            .map((line) => `<li>${line}</li>`)
            .join("")}</ul>`
        : lines(section)
            .map((line) => `<p>${line}</p>`)
            .join("\n");
      const link = section.link
        ? `<p><a href="${escapeHtml(section.link.href)}">${escapeHtml(section.link.text)}</a></p>`
        : "";
      return `<section>\n<h2>${escapeHtml(section.heading)}</h2>\n${body}\n${link}</section>`;
    })
    .join("\n");
  const other = page.switchLanguage;
  const params = new URLSearchParams(query);
  params.set("lang", other.locale);
  const body = `
<main class="legal" id="main">
<p class="legal-language"><a href="?${escapeHtml(params.toString())}" hreflang="${other.locale}" lang="${other.locale}">${escapeHtml(other.label)}</a></p>
<h1>${escapeHtml(page.title)}</h1>
${page.incomplete ? `<p class="legal-incomplete" role="status">${escapeHtml(page.incomplete)}</p>` : ""}
<p>${renderText(page.intro)}</p>
${sections}
</main>`;
  return pageShell(page.locale, page.title, body);
}

export function createLegalPagesRouter(config: LegalPagesConfig): Router {
  const router = Router();
  const show = (which: "privacy" | "terms") => async (request: Request, response: Response) => {
    const locale = localeOf(request);
    // Public and the same for everyone; a changed statement shows on the next visit.
    response.set({ "Cache-Control": "no-cache", "Content-Language": locale });
    const wanted = request.query.organisation;
    const organisationId = typeof wanted === "string" && ORGANISATION_ID.test(wanted) ? wanted : undefined;
    const query = new URLSearchParams(organisationId ? { organisation: organisationId } : {}).toString();
    try {
      const page = wanted !== undefined && !organisationId ? null : await config.page(which, locale, organisationId);
      if (!page) {
        const title = config.text(locale, "legal.unknown-organisation.title");
        const body = `<main class="legal" id="main"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(config.text(locale, "legal.unknown-organisation.text"))}</p></main>`;
        return void response
          .status(404)
          .type("html")
          .send(pageShell(locale, title, body));
      }
      response.status(200).type("html").send(renderLegalPage(page, query));
    } catch (error) {
      config.logger.error({ code: "LEGAL_PAGE_FAILED", error: (error as Error).name }, "legal page failed");
      response.status(503).type("text/plain").send(config.text(locale, "legal.unavailable"));
    }
  };
  router.get("/privacy", show("privacy"));
  router.get("/terms", show("terms"));
  return router;
}
