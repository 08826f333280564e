import type { CycleSummary } from "../../domain/cycle-summary.ts";
import type { Locale } from "../../domain/locale.ts";
import type { Block, Message, Text } from "../../domain/message.ts";
import type { PromptCatalog } from "../../ports/prompt-catalog.ts";
import type { LessonHit } from "../../ports/store.ts";

export const LESSON_CONFIRM = "lesson.confirm";
export const LESSON_DISMISS = "lesson.dismiss";

/** Posted to the team channel when a cycle closes. */
export function summaryMessage(input: {
  prompts: PromptCatalog;
  locale: Locale;
  projectName: string;
  sequence: number;
  summary: CycleSummary;
  lessons: LessonHit[];
  actions: { text: string; ownerName: string | null }[];
}): Message {
  const t = (key: string, vars?: Record<string, string | number>) => input.prompts.t(input.locale, key, vars);
  const { summary } = input;
  const participation = t("retro.summary.participation", {
    answered: summary.answered,
    invited: summary.invited,
    count: summary.answered,
  });
  const blocks: Block[] = [
    { type: "heading", text: [t("retro.summary.heading", { project: input.projectName, sequence: input.sequence })] },
    { type: "paragraph", text: [participation] },
  ];
  for (const question of summary.questions) {
    if (question.kind === "scale") {
      const value =
        question.average === null
          ? t("retro.summary.too-few", { count: question.scoreCount })
          : t("retro.summary.average", { average: question.average, count: question.scoreCount });
      blocks.push({ type: "fields", fields: [{ label: question.text, value: [value] }] });
      continue;
    }
    blocks.push({ type: "paragraph", text: [question.text] });
    blocks.push(
      question.answers.length > 0
        ? { type: "list", items: question.answers.map((answer): Text => [{ user: answer }]) }
        : { type: "context", text: [t("retro.summary.no-answers")] },
    );
  }
  blocks.push({ type: "heading", text: [t("retro.summary.lessons-heading", { count: input.lessons.length })] });
  if (input.lessons.length > 0) blocks.push({ type: "context", text: [t("retro.summary.lessons-intro")] });
  const themeLabels = new Map(input.prompts.themes(input.locale).map((theme) => [theme.id, theme.label]));
  for (const lesson of input.lessons) {
    blocks.push({ type: "paragraph", text: [{ user: lesson.text }] });
    if (lesson.themes.length > 0) {
      const labels = lesson.themes.map((id) => themeLabels.get(id) ?? id).join(", ");
      blocks.push({ type: "context", text: [t("retro.summary.themes", { themes: labels })] });
    }
    blocks.push({
      type: "actions",
      buttons: [
        { actionId: LESSON_CONFIRM, label: t("retro.summary.save-lesson"), value: lesson.id, style: "primary" },
        { actionId: LESSON_DISMISS, label: t("retro.summary.not-a-lesson"), value: lesson.id },
      ],
    });
  }
  blocks.push({ type: "heading", text: [t("retro.summary.actions-heading", { count: input.actions.length })] });
  if (input.actions.length > 0) {
    blocks.push({
      type: "list",
      items: input.actions.map(
        (action): Text => [
          { user: action.text },
          " — ",
          action.ownerName ? { user: action.ownerName } : t("retro.summary.no-owner"),
        ],
      ),
    });
  }
  return {
    fallback: `${t("retro.summary.heading", { project: input.projectName, sequence: input.sequence })} ${participation}`,
    blocks,
  };
}
