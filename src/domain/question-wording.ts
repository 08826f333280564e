// Fresh questions: each question key has a bank of wordings that take turns, so a team that
// meets every two weeks does not read the same sentence 26 times a year. The key stays the
// same, so answers, lessons and trends still add up across wordings.
import type { Question, QuestionTemplate, Wording } from "./retro-format.ts";

/** A question's wordings in turn order: its own text and hint first, then the alternatives. */
export function wordingsOf(question: QuestionTemplate): Wording[] {
  const first: Wording =
    question.hint === undefined ? { text: question.text } : { text: question.text, hint: question.hint };
  return [first, ...(question.alternatives ?? [])];
}

/**
 * How many earlier cycles of the project asked `key`: the cycles before `sequence` (1-based)
 * whose slot in the format rotation asks it. `slots` holds each rotation slot's question keys
 * (one slot without a rotation). Worked out from the sequence number alone, so choosing a
 * wording needs no stored counter and gives the same answer on every process.
 */
export function timesAsked(key: string, sequence: number, slots: readonly (readonly string[])[]): number {
  if (slots.length === 0 || sequence < 1) return 0;
  const before = sequence - 1;
  const asks = slots.map((keys) => (keys.includes(key) ? 1 : 0));
  const perRound = asks.reduce<number>((sum, ask) => sum + ask, 0);
  const position = before % slots.length;
  const inThisRound = asks.slice(0, position).reduce<number>((sum, ask) => sum + ask, 0);
  return Math.floor(before / slots.length) * perRound + inThisRound;
}

/**
 * The questions of a cycle as it asks them: each in the wording whose turn it is. A key asked
 * in two cycles in a row gets the next wording each time, and every wording comes round
 * once per as many asks as it has wordings.
 */
export function questionsInTurn(
  questions: readonly QuestionTemplate[],
  sequence: number,
  slots: readonly (readonly string[])[],
): Question[] {
  return questions.map((template) => {
    const wordings = wordingsOf(template);
    const wording = timesAsked(template.key, sequence, slots) % wordings.length;
    const chosen = wordings[wording] as Wording;
    const hint = chosen.hint ?? template.hint;
    const { alternatives: _alternatives, hint: _hint, ...rest } = template;
    return { ...rest, text: chosen.text, ...(hint === undefined ? {} : { hint }), wording };
  });
}
