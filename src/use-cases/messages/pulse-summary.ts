import { formatNumber } from "../../domain/format-number.ts";
import type { Locale } from "../../domain/locale.ts";
import type { Block } from "../../domain/message.ts";
import type { Question } from "../../domain/retro-format.ts";
import type { PulseResult } from "../../domain/team-pulse.ts";
import type { PromptCatalog } from "../../ports/prompt-catalog.ts";

/** The team pulse in the channel's summary: a mean per statement beside the earlier pulses, or why not. */
export function pulseSummaryBlocks(input: {
  prompts: PromptCatalog;
  locale: Locale;
  statements: readonly Question[];
  result: PulseResult;
  minGroupSize: number;
}): Block[] {
  const { prompts, locale, result } = input;
  const t = (key: string, vars?: Record<string, string | number>) => prompts.t(locale, `retro.pulse.${key}`, vars);
  const blocks: Block[] = [{ type: "heading", text: [t("heading")] }];
  if (!result.shown) {
    blocks.push({ type: "paragraph", text: [t("withheld", { minimum: input.minGroupSize })] });
    return blocks;
  }
  blocks.push({ type: "paragraph", text: [t("respondents", { count: result.respondents })] });
  // In the order the pulse asked them, each mean written the reader's way ("3,8").
  const fields = input.statements.flatMap((question) => {
    const statement = result.statements.find((candidate) => candidate.key === question.key);
    if (!statement) return [];
    const average = formatNumber(statement.average, locale);
    const value =
      statement.previous.length > 0
        ? t("earlier", { average, earlier: statement.previous.map((mean) => formatNumber(mean, locale)).join(" · ") })
        : t("average", { average });
    return [{ label: question.text, value: [value] }];
  });
  if (fields.length > 0) blocks.push({ type: "fields", fields });
  return blocks;
}
