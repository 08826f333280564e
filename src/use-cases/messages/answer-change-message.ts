import { OPEN_FORM_ACTION } from "../../domain/chat-actions.ts";
import { formatDateTime } from "../../domain/format-date.ts";
import type { Locale } from "../../domain/locale.ts";
import type { Message } from "../../domain/message.ts";
import type { PromptCatalog } from "../../ports/prompt-catalog.ts";
import type { CycleRecord } from "../../ports/retro-store.ts";

/** The cycle's questions named, as a list in the reader's language: "A" en "B". */
export function questionList(cycle: CycleRecord, locale: Locale, keys: string[]): string {
  const texts = new Map(cycle.questions[locale].map((question) => [question.key, question.text]));
  const names = keys.map((key) => `"${texts.get(key) ?? key}"`);
  return new Intl.ListFormat(locale === "nl" ? "nl-NL" : "en-GB", { type: "conjunction" }).format(names);
}

/**
 * The confirmation of a retro form: saved (the first time), or exactly which answers were
 * updated and which cleared; with the button that opens the form again, filled in.
 */
export function answerChangeMessage(input: {
  prompts: PromptCatalog;
  locale: Locale;
  cycle: CycleRecord;
  first: boolean;
  updated: string[];
  cleared: string[];
}): Message {
  const { prompts, locale, cycle } = input;
  const t = (key: string, vars?: Record<string, string | number>) => prompts.t(locale, key, vars);
  const closes = formatDateTime(cycle.closesAt, locale);
  const lines: string[] = [];
  if (input.first) lines.push(t("retro.answer.saved", { closes }));
  else {
    if (input.updated.length > 0) {
      lines.push(t("retro.answer.updated", { questions: questionList(cycle, locale, input.updated) }));
    }
    if (input.cleared.length > 0) {
      lines.push(t("retro.answer.cleared", { questions: questionList(cycle, locale, input.cleared) }));
    }
    if (lines.length === 0) lines.push(t("retro.answer.unchanged"));
    lines.push(t("retro.answer.change-until", { closes }));
  }
  const text = lines.join(" ");
  return {
    fallback: text,
    blocks: [
      { type: "paragraph", text: [text] },
      { type: "actions", buttons: [{ actionId: OPEN_FORM_ACTION, label: t("retro.answer.change"), value: cycle.id }] },
    ],
  };
}
