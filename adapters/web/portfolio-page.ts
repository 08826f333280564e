// GET /portfolio: the manager's (or admin's) portfolio as an accessible table, behind the
// web chat's signed session. Words come from prompts/portfolio.*.yaml.

import { Router } from "express";
import type { Locale } from "../../src/domain/locale.ts";
import { groupByPhase, type Portfolio, type PortfolioRow } from "../../src/domain/portfolio.ts";
import { pageShell } from "./page-shell.ts";
import { escapeHtml } from "./render-html.ts";
import { noticeMain, signedInPage } from "./signed-in-page.ts";
import type { WebRouteContext } from "./web-access.ts";

/** Where the page gets its data: the portfolio the person may see, or null when they may see none. */
export type PortfolioSource = (personId: string) => Promise<Portfolio | null>;

type T = (key: string, vars?: Record<string, string | number>) => string;

export function createPortfolioRouter(context: WebRouteContext, source: PortfolioSource): Router {
  const router = Router();
  router.get(
    "/portfolio",
    signedInPage(context, "WEB_PORTFOLIO_FAILED", async (_request, response, viewer) => {
      const t: T = (key, vars) => context.config.text(viewer.locale, `portfolio.${key}`, vars);
      const portfolio = await source(viewer.id);
      if (!portfolio) {
        response
          .status(403)
          .type("html")
          .send(
            pageShell(
              viewer.locale,
              t("page.forbidden-title"),
              noticeMain(t("page.forbidden-title"), t("page.forbidden")),
            ),
          );
        return;
      }
      const phase = (name: string) => context.config.text(viewer.locale, `phases.${name}`);
      response
        .status(200)
        .type("html")
        .send(
          pageShell(
            viewer.locale,
            t("page.title"),
            renderPortfolio(portfolio, viewer.displayName, viewer.locale, t, phase),
          ),
        );
    }),
  );
  return router;
}

export function renderPortfolio(
  portfolio: Portfolio,
  viewerName: string,
  locale: Locale,
  t: T,
  phase: (name: string) => string,
): string {
  const caption =
    portfolio.scope === "organisation"
      ? t("page.caption-organisation", { organisation: portfolio.organisationName })
      : t("page.caption-manager");
  const columns = ["project", "phase", "time-in-phase", "must-meet", "participation", "next-gate", "status"];
  const head = columns.map((column) => `<th scope="col">${escapeHtml(t(`page.column.${column}`))}</th>`).join("");
  const rows = groupByPhase(portfolio.rows)
    .flatMap((group) => group.rows)
    .map((row) => renderRow(row, locale, t, phase))
    .join("\n");
  const table =
    portfolio.rows.length === 0
      ? `<p>${escapeHtml(t("page.empty"))}</p>`
      : `<table class="portfolio">
<caption>${escapeHtml(caption)}</caption>
<thead><tr>${head}</tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
  return `<header class="topbar"><h1>${escapeHtml(t("page.title"))}</h1>
<p class="signed-in">${escapeHtml(t("page.signed-in-as", { name: viewerName }))}</p>
<p><a href="/">${escapeHtml(t("page.back"))}</a></p></header>
<main id="main" class="portfolio-page">
${table}
</main>`;
}

function renderRow(row: PortfolioRow, locale: Locale, t: T, phase: (name: string) => string): string {
  const days = t("page.days", { count: row.daysInPhase });
  const time = row.targetDays === null ? days : t("page.of-target", { days: row.daysInPhase, target: row.targetDays });
  const share =
    row.mustMeetTotal === 0
      ? t("page.none")
      : t("page.share", {
          done: row.mustMeetDone,
          total: row.mustMeetTotal,
          percent: Math.round((100 * row.mustMeetDone) / row.mustMeetTotal),
        });
  const participation =
    row.lastRetro === null
      ? t("page.no-retro")
      : row.lastRetro.shown
        ? t("page.participation", { answered: row.lastRetro.answered, invited: row.lastRetro.invited })
        : t("page.participation-hidden");
  const gate = row.nextGate
    ? `<time datetime="${row.nextGate.toISOString().slice(0, 10)}">${escapeHtml(formatDate(row.nextGate, locale))}</time>`
    : escapeHtml(t("page.none"));
  const status =
    row.phase === "stopped"
      ? t("page.status-stopped")
      : [
          row.stuck ? t("page.status-stuck") : "",
          row.overdueMustMeet > 0 ? t("page.status-overdue", { count: row.overdueMustMeet }) : "",
          row.overstaying ? t("page.status-overstaying") : "",
        ]
          .filter(Boolean)
          .join("; ") || t("page.status-ok");
  const flagged = row.stuck ? ' class="stuck"' : "";
  const cell = (column: string, html: string, extra = "") =>
    `<td data-label="${escapeHtml(t(`page.column.${column}`))}"${extra}>${html}</td>`;
  const attention = row.stuck || row.overdueMustMeet > 0 || row.overstaying ? ' class="attention"' : "";
  return `<tr${flagged}><th scope="row">${escapeHtml(row.name)}</th>${cell("phase", escapeHtml(phase(row.phase)))}${cell("time-in-phase", escapeHtml(time))}${cell("must-meet", escapeHtml(share))}${cell("participation", escapeHtml(participation))}${cell("next-gate", gate)}${cell("status", `${row.stuck ? "<strong>" : ""}${escapeHtml(status)}${row.stuck ? "</strong>" : ""}`, attention)}</tr>`;
}

function formatDate(date: Date, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === "nl" ? "nl-NL" : "en-GB", {
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "Europe/Amsterdam",
  }).format(date);
}
