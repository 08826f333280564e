import type { DigestContent } from "../../domain/digest-content.ts";
import { trendOf } from "../../domain/digest-content.ts";
import { formatNumber } from "../../domain/format-number.ts";
import type { Locale } from "../../domain/locale.ts";
import { PULSE_PREFIX } from "../../domain/team-pulse.ts";
import type { ViewChart, ViewItem, ViewSection } from "../../ports/digest-view.ts";
import type { PromptCatalog, Vars } from "../../ports/prompt-catalog.ts";

/**
 * The team pulse: per statement this period's mean beside the period before, and a chart of
 * the means over the periods. Digests made before the pulse existed have no such section.
 */
export function teamPulseSection(input: {
  prompts: PromptCatalog;
  locale: Locale;
  content: DigestContent;
  periodLabels: string[];
}): ViewSection[] {
  const { prompts, locale, content } = input;
  if (!content.teamPulse) return [];
  const t = (key: string, vars?: Vars) => prompts.t(locale, `digests.${key}`, vars);
  const statements = prompts.teamPulse(locale).statements.map((statement) => ({
    key: `${PULSE_PREFIX}${statement.key}`,
    text: statement.text,
  }));
  const now = content.teamPulse.at(-1);
  const before = content.teamPulse.at(-2);
  const items: ViewItem[] = [{ text: t("pulse-intro", { count: content.minGroupSize }) }];
  if (now?.shown) {
    items.push({ text: t("pulse-respondents", { count: now.respondents }) });
    for (const statement of statements) {
      const average = now.averages[statement.key];
      if (average === undefined) continue;
      const previous = before?.shown ? before.averages[statement.key] : undefined;
      items.push({
        label: statement.text,
        text:
          previous === undefined
            ? t("pulse-item", { average: formatNumber(average, locale) })
            : t("pulse-item-previous", {
                average: formatNumber(average, locale),
                previous: formatNumber(previous, locale),
                trend: t(`trend.${trendOf(average, previous)}`),
              }),
      });
    }
  } else {
    items.push({ text: t("pulse-none") });
  }
  // A chart of nothing but "too few" says no more than the sentence above it.
  const anyShown = content.teamPulse.some((period) => period.shown);
  return [
    {
      id: "team-pulse",
      title: t("sections.team-pulse"),
      items,
      ...(anyShown ? { chart: pulseChart(input, statements) } : {}),
    },
  ];
}

function pulseChart(
  input: { prompts: PromptCatalog; locale: Locale; content: DigestContent; periodLabels: string[] },
  statements: { key: string; text: string }[],
): ViewChart {
  const t = (key: string, vars?: Vars) => input.prompts.t(input.locale, `digests.${key}`, vars);
  return {
    id: "team-pulse-chart",
    title: t("chart.pulse-title"),
    description: t("chart.pulse-desc", { count: input.periodLabels.length }),
    unit: t("chart.pulse-unit"),
    categories: input.periodLabels,
    series: statements.map((statement) => ({
      name: statement.text,
      values: (input.content.teamPulse ?? []).map((period) =>
        period.shown ? (period.averages[statement.key] ?? null) : null,
      ),
    })),
    max: 5,
    decimals: input.locale,
  };
}
