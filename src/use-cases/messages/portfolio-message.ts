import type { Locale } from "../../domain/locale.ts";
import type { Block, Message, Text } from "../../domain/message.ts";
import { isEnded } from "../../domain/phase.ts";
import { groupByPhase, type Portfolio, type PortfolioRow } from "../../domain/portfolio.ts";
import type { PromptCatalog } from "../../ports/prompt-catalog.ts";
import { GATE_REVIEW_ACTION } from "../gate-review.ts";
import { formatDay } from "./format-day.ts";

/** Projects shown in chat; the web page shows them all. */
const MAX_IN_CHAT = 12;

/** The portfolio in chat: per phase, a line per project, and a gate review button for active ones. */
export function portfolioMessage(input: {
  prompts: PromptCatalog;
  locale: Locale;
  portfolio: Portfolio;
  /** The reader's own signed link to the page; null where others read along (a Teams channel). */
  link: { url: string; expiresAt: Date } | null;
}): Message {
  const { prompts, locale, portfolio } = input;
  const t = (key: string, vars?: Record<string, string | number>) => prompts.t(locale, key, vars);
  const count = portfolio.rows.length;
  const heading =
    portfolio.scope === "organisation"
      ? t("portfolio.heading.organisation", { organisation: portfolio.organisationName, count })
      : t("portfolio.heading.manager", { count });
  const blocks: Block[] = [{ type: "heading", text: [heading] }];
  if (count === 0) {
    blocks.push({ type: "paragraph", text: [t("portfolio.none")] });
    return { fallback: heading, blocks };
  }
  let shown = 0;
  for (const group of groupByPhase(portfolio.rows)) {
    const rows = group.rows.slice(0, Math.max(MAX_IN_CHAT - shown, 0));
    if (rows.length === 0) continue;
    shown += rows.length;
    blocks.push({
      type: "paragraph",
      text: [t("portfolio.phase-group", { phase: t(`phases.${group.phase}`), count: group.rows.length })],
    });
    blocks.push({ type: "list", items: rows.map((row) => projectLine(row, t, locale)) });
    const buttons = rows
      .filter((row) => !isEnded(row.phase))
      .slice(0, 5)
      .map((row) => ({
        actionId: GATE_REVIEW_ACTION,
        label: `${t("gates.button.review")}: ${row.name}`.slice(0, 75),
        value: row.projectId,
      }));
    if (buttons.length > 0) blocks.push({ type: "actions", buttons });
  }
  if (shown < count) blocks.push({ type: "context", text: [t("portfolio.more", { count: count - shown })] });
  blocks.push({
    type: "context",
    text: [
      input.link
        ? t("weblink.page-link", { url: input.link.url, until: formatDay(input.link.expiresAt, locale) })
        : t("weblink.direct-only"),
    ],
  });
  return { fallback: heading, blocks };
}

function projectLine(
  row: PortfolioRow,
  t: (key: string, vars?: Record<string, string | number>) => string,
  locale: Locale,
): Text {
  const parts = [
    row.targetDays === null
      ? t("portfolio.days-in-phase", { days: row.daysInPhase, count: row.daysInPhase })
      : t("portfolio.days-of-target", { days: row.daysInPhase, target: row.targetDays }),
    row.mustMeetTotal > 0
      ? t("portfolio.must-meet", { done: row.mustMeetDone, total: row.mustMeetTotal })
      : t("portfolio.no-checkpoints"),
    row.lastRetro === null
      ? t("portfolio.no-retro")
      : row.lastRetro.shown
        ? t("portfolio.participation", { answered: row.lastRetro.answered, invited: row.lastRetro.invited })
        : t("portfolio.participation-hidden"),
    ...(row.nextGate ? [t("portfolio.next-gate", { date: formatDay(row.nextGate, locale) })] : []),
    ...(row.overdueMustMeet > 0 ? [t("portfolio.overdue", { count: row.overdueMustMeet })] : []),
    ...(row.overstaying ? [t("portfolio.overstaying")] : []),
    ...(row.stuck ? [t("portfolio.stuck").toUpperCase()] : []),
  ];
  return [{ user: row.name }, ` — ${parts.join("; ")}`];
}
