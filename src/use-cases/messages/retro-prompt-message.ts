import { maxLengthOf } from "../../domain/answer-validation.ts";
import { OPEN_FORM_ACTION } from "../../domain/chat-actions.ts";
import { formatDateTime } from "../../domain/format-date.ts";
import type { Locale } from "../../domain/locale.ts";
import { type Block, type FormInput, type Message, type Text, withUserText } from "../../domain/message.ts";
import type { Question } from "../../domain/retro-format.ts";
import { DISCIPLINES } from "../../domain/role.ts";
import type { PromptCatalog } from "../../ports/prompt-catalog.ts";
import type { ActionRecord, CycleRecord } from "../../ports/retro-store.ts";

export const ANSWER_ACTION = "retro.answer";
/** Asks the cycle's next unanswered question on its own; the person's next message answers it. */
export const ASK_ACTION = "retro.ask";

export function questionInputs(questions: Question[], previous: Record<string, string> = {}): FormInput[] {
  return questions.map((question): FormInput => {
    const label = question.hint ? `${question.text} (${question.hint})` : question.text;
    if (question.kind === "scale") {
      const value = previous[question.key] ? Number(previous[question.key]) : undefined;
      return {
        kind: "scale",
        key: question.key,
        label,
        required: question.required,
        min: 1,
        max: 5,
        minLabel: question.minLabel ?? "1",
        maxLabel: question.maxLabel ?? "5",
        ...(value ? { value } : {}),
      };
    }
    return {
      kind: question.kind,
      key: question.key,
      label,
      required: question.required,
      maxLength: maxLengthOf(question),
      ...(previous[question.key] ? { value: previous[question.key] } : {}),
    };
  });
}

export const DISCIPLINE_KEY = "discipline";

/** An optional first question for people whose discipline the team doesn't know yet. */
export function disciplineInput(prompts: PromptCatalog, locale: Locale): FormInput {
  return {
    kind: "choice",
    key: DISCIPLINE_KEY,
    label: prompts.t(locale, "retro.prompt.discipline"),
    required: false,
    options: DISCIPLINES.map((discipline) => ({
      value: discipline,
      label: prompts.t(locale, `disciplines.${discipline}`),
    })),
  };
}

/**
 * The cycle's questions as a form, answered with `retro.answer`; with the discipline
 * question first when the person has not given it yet, and prefilled with earlier answers.
 */
export function retroFormBlock(input: {
  prompts: PromptCatalog;
  locale: Locale;
  cycle: CycleRecord;
  askDiscipline: boolean;
  previous?: Record<string, string>;
  /** The submit value: the cycle, and the form instance when it was recorded as shown. */
  value?: string;
}): Block {
  const { prompts, locale, cycle } = input;
  return {
    type: "form",
    // The project first: the web chat folds a project's earlier retros once a newer one arrives.
    formId: `retro-${cycle.projectId}:${cycle.id}`,
    title: prompts.t(locale, "retro.prompt.form-title"),
    inputs: [
      ...(input.askDiscipline ? [disciplineInput(prompts, locale)] : []),
      ...questionInputs(cycle.questions[locale], input.previous),
    ],
    submit: {
      actionId: ANSWER_ACTION,
      label: prompts.t(locale, "retro.prompt.submit"),
      value: input.value ?? cycle.id,
      style: "primary",
    },
    refresh: { actionId: OPEN_FORM_ACTION, value: cycle.id },
  };
}

/** Answering without the form: the questions one at a time, each answered by a typed message. */
export function oneByOneButton(prompts: PromptCatalog, locale: Locale, cycle: CycleRecord): Block {
  const label = prompts.t(locale, "retro.typed.one-by-one");
  return { type: "actions", buttons: [{ actionId: ASK_ACTION, label, value: cycle.id }] };
}

/** Said once above a form that ends with the team pulse: it counts only as a group, and may be skipped. */
export function pulseNote(prompts: PromptCatalog, locale: Locale, cycle: CycleRecord): Block[] {
  return cycle.questions[locale].some((question) => question.pulse)
    ? [{ type: "context", text: [prompts.t(locale, "retro.pulse.intro")] }]
    : [];
}

/** The direct message that asks one person the cycle's questions. */
export function retroPromptMessage(input: {
  prompts: PromptCatalog;
  locale: Locale;
  projectName: string;
  cycle: CycleRecord;
  intro: string;
  firstCycle: boolean;
  /** Ask, once, which discipline the person brings (rather than at setup). */
  askDiscipline: boolean;
  actionsToReview: ActionRecord[];
}): Message {
  const { prompts, locale, cycle } = input;
  const t = (key: string, vars?: Record<string, string | number>) => prompts.t(locale, key, vars);
  const closes = formatDateTime(cycle.closesAt, locale);
  const blocks: Message["blocks"] = [
    {
      type: "heading",
      text: withUserText((user) => t("retro.prompt.heading", { ...user, sequence: cycle.sequence }), {
        project: input.projectName,
      }),
    },
    { type: "paragraph", text: [t("retro.prompt.intro", { closes })] },
  ];
  if (input.firstCycle) blocks.push({ type: "context", text: [input.intro] });
  if (input.actionsToReview.length > 0) {
    blocks.push({ type: "paragraph", text: [t("retro.prompt.review-actions")] });
    blocks.push({
      type: "list",
      items: input.actionsToReview.map(
        (action): Text => [
          { user: action.text },
          ...(action.ownerNames.length > 0
            ? withUserText((user) => t("retro.prompt.action-owner", user), { owner: action.ownerNames.join(", ") })
            : []),
        ],
      ),
    });
  }
  blocks.push(...pulseNote(prompts, locale, cycle));
  blocks.push(retroFormBlock({ prompts, locale, cycle, askDiscipline: input.askDiscipline }));
  blocks.push(oneByOneButton(prompts, locale, cycle));
  return { fallback: t("retro.prompt.fallback", { project: input.projectName, closes }), blocks, locale };
}
