import { type AnswerProblem, isProblem, type ValidAnswer, validateAnswer } from "./answer-validation.ts";
import type { Question } from "./retro-format.ts";

export type StoredAnswer = { text: string | null; score: number | null };

export type AnswerChanges =
  | {
      ok: true;
      /** Answers to store, only those that differ from what is stored. */
      set: ValidAnswer[];
      /** Question keys whose stored answer the person emptied on purpose. */
      cleared: string[];
    }
  | { ok: false; problems: AnswerProblem[] };

/**
 * What a submitted form changes in one person's answers. A field changes only when the person
 * changed it: `shownWith(key, value)` says whether the form showed exactly that value (an empty
 * value: the field was shown empty, or never shown). So a form sent again after a reload, shown
 * empty, keeps every answer left empty, and an answer is cleared only when a field that was
 * shown filled comes back empty. Required questions must still have an answer afterwards.
 */
export function planAnswerChanges(input: {
  questions: Question[];
  stored: ReadonlyMap<string, StoredAnswer>;
  submitted: Record<string, string>;
  shownWith(key: string, value: string): boolean;
}): AnswerChanges {
  const { questions, stored, submitted } = input;
  const problems: AnswerProblem[] = [];
  const known = new Set(questions.map((question) => question.key));
  for (const key of Object.keys(submitted)) {
    if (!known.has(key)) problems.push({ questionKey: key, code: "unknown-question" });
  }
  const set: ValidAnswer[] = [];
  const cleared: string[] = [];
  for (const question of questions) {
    const raw = submitted[question.key];
    const value = raw?.trim();
    const before = stored.get(question.key);
    let after = before;
    if (value !== undefined && !input.shownWith(question.key, value)) {
      if (value === "") {
        if (before) cleared.push(question.key);
        after = undefined;
      } else {
        const result = validateAnswer(question, value);
        if (isProblem(result)) {
          problems.push(result);
          continue;
        }
        if (!before || before.text !== result.text || before.score !== result.score) set.push(result);
        after = result;
      }
    }
    if (question.required && !after) problems.push({ questionKey: question.key, code: "required" });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, set, cleared };
}

/** A stored answer as the text a form field shows. */
export function answerValue(answer: StoredAnswer): string {
  return answer.text ?? (answer.score === null ? "" : String(answer.score));
}
