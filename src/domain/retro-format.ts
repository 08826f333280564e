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
  /** Which of the question's wordings this is: 0 the first, then its alternatives in order. */
  wording?: number;
  /** A statement of the team-climate pulse, asked every few retros and reported only as a group. */
  pulse?: boolean;
};

/** Another way to ask the same question; without its own hint the question's hint applies. */
export type Wording = { text: string; hint?: string };

/** A question as a format defines it: its first wording and the alternatives that take turns with it. */
export type QuestionTemplate = Omit<Question, "wording" | "pulse"> & { alternatives?: readonly Wording[] };

export type RetroFormat = {
  id: string;
  locale: Locale;
  name: string;
  /** One sentence that explains the format to a first-time participant. */
  intro: string;
  questions: readonly QuestionTemplate[];
};
