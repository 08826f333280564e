import type { GateTiming } from "../../domain/gate.ts";
import type { Locale } from "../../domain/locale.ts";
import { type Block, type Message, withUserText } from "../../domain/message.ts";
import type { PromptCatalog } from "../../ports/prompt-catalog.ts";
import { GATE_REVIEW_ACTION } from "../gate-review.ts";
import { checkpointButtons } from "./checkpoint-state.ts";
import { formatDay } from "./format-day.ts";

export type NudgeCheckpoint = {
  id: string;
  question: string;
  evidence: string;
  /** Where the duty or guidance is written down. */
  source: string;
  /** A before-start checkpoint: while open it blocks the next gate decision. */
  blocking: boolean;
  mustMeet: boolean;
  dueAt: Date;
};

/**
 * A manager's nudge about one project: its gate (coming up, or passed while the project
 * overstays its phase) and the checkpoints due, each with done, not applicable and snooze
 * buttons, and a button that opens the gate review.
 */
export function nudgeMessage(input: {
  prompts: PromptCatalog;
  locale: Locale;
  timezone: string;
  now: Date;
  projectId: string;
  projectName: string;
  phase: string;
  gate: Date;
  timing: GateTiming;
  daysInPhase: number;
  targetDays: number;
  checkpoints: NudgeCheckpoint[];
  /** This nudge is the third without an answer: the project now counts as stuck. */
  stuck: boolean;
}): Message {
  const t = (key: string, vars?: Record<string, string | number>) => input.prompts.t(input.locale, key, vars);
  const day = (date: Date) => formatDay(date, input.locale, input.timezone);
  const phase = t(`phases.${input.phase}`);
  const project = input.projectName;
  const blocks: Block[] = [
    { type: "heading", text: withUserText((user) => t("gates.nudge.heading", user), { project }) },
    { type: "paragraph", text: [t("gates.nudge.intro", { phase, gate: day(input.gate) })] },
  ];
  if (input.timing === "gate-soon") {
    blocks.push({ type: "paragraph", text: [t("gates.nudge.gate-soon", { gate: day(input.gate) })] });
  }
  if (input.timing === "overstaying") {
    const target = input.prompts.t(input.locale, "portfolio.page.days", { count: input.targetDays });
    blocks.push({
      type: "paragraph",
      text: withUserText(
        (user) =>
          t("gates.nudge.overstaying", { ...user, phase, days: input.daysInPhase, target, gate: day(input.gate) }),
        { project },
      ),
    });
  }
  if (input.checkpoints.length > 0) blocks.push({ type: "paragraph", text: [t("gates.nudge.due-heading")] });
  for (const checkpoint of input.checkpoints) {
    const when =
      checkpoint.dueAt < input.now
        ? t("gates.nudge.overdue", { date: day(checkpoint.dueAt) })
        : t("gates.nudge.due", { date: day(checkpoint.dueAt) });
    blocks.push({
      type: "paragraph",
      text: [
        `${checkpoint.question} (${t(checkpoint.mustMeet ? "gates.strength.required" : "gates.strength.optional")}; ${when})`,
      ],
    });
    const context = [t("gates.list.evidence", { evidence: checkpoint.evidence })];
    if (checkpoint.blocking) context.unshift(t("gates.nudge.blocking"));
    if (checkpoint.source) context.push(t("gates.list.source", { source: checkpoint.source }));
    blocks.push({ type: "context", text: [context.join(" ")] });
    blocks.push(checkpointButtons(input.prompts, input.locale, checkpoint.id));
  }
  if (input.stuck)
    blocks.push({ type: "context", text: withUserText((user) => t("gates.nudge.stuck", user), { project }) });
  blocks.push({
    type: "actions",
    buttons: [{ actionId: GATE_REVIEW_ACTION, label: t("gates.button.review"), value: input.projectId }],
  });
  return { fallback: t("gates.nudge.fallback", { project }), blocks, locale: input.locale };
}
