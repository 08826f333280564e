import type { Locale } from "../../domain/locale.ts";
import type { Block, Message } from "../../domain/message.ts";
import type { PromptCatalog } from "../../ports/prompt-catalog.ts";
import { CHECKPOINT_DONE_ACTION, CHECKPOINT_SNOOZE_ACTION } from "../resolve-checkpoint.ts";
import { formatDateTime } from "./format-date.ts";

/** A manager's nudge: the checkpoints due before a project's gate, each with its buttons. */
export function nudgeMessage(input: {
  prompts: PromptCatalog;
  locale: Locale;
  projectName: string;
  phase: string;
  gate: Date;
  checkpoints: { id: string; question: string; evidence: string; mustMeet: boolean; dueAt: Date }[];
}): Message {
  const t = (key: string, vars?: Record<string, string | number>) => input.prompts.t(input.locale, key, vars);
  const phase = t(`phases.${input.phase}`);
  const blocks: Block[] = [
    { type: "heading", text: [t("checkpoint.nudge.heading", { project: input.projectName })] },
    {
      type: "paragraph",
      text: [t("checkpoint.nudge.intro", { phase, gate: formatDateTime(input.gate, input.locale) })],
    },
  ];
  for (const checkpoint of input.checkpoints) {
    blocks.push({
      type: "paragraph",
      text: [`${checkpoint.question} (${t(checkpoint.mustMeet ? "checkpoint.must-meet" : "checkpoint.should-meet")})`],
    });
    blocks.push({ type: "context", text: [t("checkpoint.evidence", { evidence: checkpoint.evidence })] });
    blocks.push({
      type: "actions",
      buttons: [
        {
          actionId: CHECKPOINT_DONE_ACTION,
          label: t("checkpoint.button.done"),
          value: checkpoint.id,
          style: "primary",
        },
        { actionId: CHECKPOINT_SNOOZE_ACTION, label: t("checkpoint.button.snooze"), value: `${checkpoint.id}:1` },
      ],
    });
  }
  return { fallback: t("checkpoint.nudge.heading", { project: input.projectName }), blocks };
}
