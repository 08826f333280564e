import { formatDateTime } from "../../domain/format-date.ts";
import type { Locale } from "../../domain/locale.ts";
import type { Message } from "../../domain/message.ts";
import type { PromptCatalog } from "../../ports/prompt-catalog.ts";
import type { CycleRecord } from "../../ports/retro-store.ts";
import { oneByOneButton, retroFormBlock } from "./retro-prompt-message.ts";

/** Sent only to those who have not answered, with how many colleagues already did. */
export function reminderMessage(input: {
  prompts: PromptCatalog;
  locale: Locale;
  projectName: string;
  cycle: CycleRecord;
  answered: number;
  invited: number;
}): Message {
  const t = (key: string, vars?: Record<string, string | number>) => input.prompts.t(input.locale, key, vars);
  const closes = formatDateTime(input.cycle.closesAt, input.locale);
  const text = t("retro.reminder.text", {
    project: input.projectName,
    answered: input.answered,
    count: input.answered,
    invited: input.invited,
    closes,
  });
  return {
    fallback: text,
    locale: input.locale,
    blocks: [
      { type: "heading", text: [t("retro.reminder.heading")] },
      { type: "paragraph", text: [text] },
      retroFormBlock({ prompts: input.prompts, locale: input.locale, cycle: input.cycle, askDiscipline: false }),
      oneByOneButton(input.prompts, input.locale, input.cycle),
    ],
  };
}
