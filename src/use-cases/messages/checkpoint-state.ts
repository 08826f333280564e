// A checkpoint in a manager's nudge: its buttons while open, who decided what once decided.
import { SNOOZE_WEEKS } from "../../domain/gate.ts";
import type { Locale } from "../../domain/locale.ts";
import type { Block } from "../../domain/message.ts";
import type { PromptCatalog } from "../../ports/prompt-catalog.ts";
import { decidedBlocks, namedText, undoButton } from "./decided-item.ts";

export const CHECKPOINT_DONE_ACTION = "checkpoint.done";
export const CHECKPOINT_NOT_APPLICABLE_ACTION = "checkpoint.not-applicable";
export const CHECKPOINT_SNOOZE_ACTION = "checkpoint.snooze";
export const CHECKPOINT_UNDO_ACTION = "checkpoint.undo";

export const checkpointItem = (checkpointId: string) => `checkpoint:${checkpointId}`;

/** Done, not applicable and snooze (one, two or four weeks). */
export function checkpointButtons(prompts: PromptCatalog, locale: Locale, checkpointId: string): Block {
  const t = (key: string, vars?: Record<string, string | number>) => prompts.t(locale, key, vars);
  return {
    type: "actions",
    item: checkpointItem(checkpointId),
    locale,
    buttons: [
      { actionId: CHECKPOINT_DONE_ACTION, label: t("gates.button.done"), value: checkpointId, style: "primary" },
      { actionId: CHECKPOINT_NOT_APPLICABLE_ACTION, label: t("gates.button.not-applicable"), value: checkpointId },
      ...SNOOZE_WEEKS.map((weeks) => ({
        actionId: CHECKPOINT_SNOOZE_ACTION,
        label: t("gates.button.snooze", { count: weeks }),
        value: `${checkpointId}:${weeks}`,
      })),
    ],
  };
}

/** Done with its evidence, or not applicable with its reason, and who decided; with Undo. */
export function decidedCheckpointBlocks(
  prompts: PromptCatalog,
  locale: Locale,
  checkpoint: { id: string; status: string; evidence: string | null; reason: string | null },
  decider: string,
): Block[] {
  const done = checkpoint.status === "done";
  const note = (done ? checkpoint.evidence : checkpoint.reason) ?? "";
  const text = namedText(prompts, locale, done ? "state.checkpoint.done" : "state.checkpoint.not-applicable", decider);
  return decidedBlocks(
    { name: checkpointItem(checkpoint.id), locale },
    [...text, { user: note }],
    undoButton(prompts, locale, CHECKPOINT_UNDO_ACTION, checkpoint.id),
  );
}
