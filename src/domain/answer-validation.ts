import type { Question } from "./retro-format.ts";

export const MAX_TEXT_LENGTH = 500;
export const MAX_MULTILINE_LENGTH = 3000;

export type ValidAnswer = { questionKey: string; text: string | null; score: number | null };

export type AnswerProblem = {
  questionKey: string;
  code: "required" | "too-long" | "not-a-score" | "unknown-question";
  limit?: number;
};

export type AnswerValidation = { ok: true; answers: ValidAnswer[] } | { ok: false; problems: AnswerProblem[] };

export function maxLengthOf(question: Question): number {
  return question.kind === "text" ? MAX_TEXT_LENGTH : MAX_MULTILINE_LENGTH;
}

/** One non-empty value for one question: the answer to store, or what is wrong with it. */
export function validateAnswer(question: Question, raw: string): ValidAnswer | AnswerProblem {
  const value = raw.trim();
  if (question.kind === "scale") {
    const score = Number(value);
    if (!Number.isInteger(score) || score < 1 || score > 5) return { questionKey: question.key, code: "not-a-score" };
    return { questionKey: question.key, text: null, score };
  }
  const limit = maxLengthOf(question);
  if (value.length > limit) return { questionKey: question.key, code: "too-long", limit };
  return { questionKey: question.key, text: value, score: null };
}

export function isProblem(result: ValidAnswer | AnswerProblem): result is AnswerProblem {
  return "code" in result;
}

/** Checks a submitted form against the cycle's questions. Blank optional answers are dropped. */
export function validateAnswers(questions: Question[], raw: Record<string, string>): AnswerValidation {
  const problems: AnswerProblem[] = [];
  const answers: ValidAnswer[] = [];
  const known = new Set(questions.map((question) => question.key));
  for (const key of Object.keys(raw)) {
    if (!known.has(key)) problems.push({ questionKey: key, code: "unknown-question" });
  }
  for (const question of questions) {
    const value = (raw[question.key] ?? "").trim();
    if (value === "") {
      if (question.required) problems.push({ questionKey: question.key, code: "required" });
      continue;
    }
    const result = validateAnswer(question, value);
    if (isProblem(result)) problems.push(result);
    else answers.push(result);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, answers };
}
