import type { Locale } from "./locale.ts";

/** What an answer to a question becomes once the cycle closes. */
export type Yield = "lesson" | "action" | "none";

export type QuestionKind = "text" | "multiline" | "scale";

export type Question = {
  key: string;
  kind: QuestionKind;
  text: string;
  /** Shown under the question: an example or what a good answer looks like. */
  hint?: string;
  yields: Yield;
  required: boolean;
  /** Scale questions: labels of 1 and 5. */
  minLabel?: string;
  maxLabel?: string;
};

export type RetroFormat = {
  id: string;
  locale: Locale;
  name: string;
  /** One sentence that explains the format to a first-time participant. */
  intro: string;
  questions: Question[];
};
