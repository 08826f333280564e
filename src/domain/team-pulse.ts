// The team-climate pulse: every few retros a handful of statements on how safe it feels to
// speak up and how the team learns together, scored 1–5. Answers are stored like any other
// answer but only ever reported as a group: a statement's mean is shown when at least the
// organisation's minimum group size answered the pulse, never one person's score.
import type { Question } from "./retro-format.ts";

/** Pulse answers are stored under `pulse-<statement>`, so queries find them by key. */
export const PULSE_PREFIX = "pulse-";
/** A pulse every fourth retro unless the lead chooses otherwise; 0 turns it off. */
export const DEFAULT_PULSE_EVERY = 4;
export const MAX_PULSE_EVERY = 12;

export type PulseStatement = { key: string; text: string };
export type PulseWording = { minLabel: string; maxLabel: string; statements: readonly PulseStatement[] };

export const isPulseKey = (key: string): boolean => key.startsWith(PULSE_PREFIX);

/** Whether the cycle with this sequence number asks the pulse: every `every`-th, none when 0. */
export function asksPulse(sequence: number, every: number): boolean {
  return every > 0 && sequence > 0 && sequence % every === 0;
}

/** The pulse as questions after the retro's own: optional, scored, yielding nothing. */
export function pulseQuestions(wording: PulseWording): Question[] {
  return wording.statements.map((statement) => ({
    key: `${PULSE_PREFIX}${statement.key}`,
    kind: "scale",
    text: statement.text,
    yields: "none",
    required: false,
    minLabel: wording.minLabel,
    maxLabel: wording.maxLabel,
    pulse: true,
  }));
}

/** One pulse of one project, aggregated: respondents, and per statement key the responses and their sum. */
export type PulseTally = {
  sequence: number;
  respondents: number;
  statements: { key: string; responses: number; sum: number }[];
};

export type PulseResult =
  | { shown: false; respondents: number }
  | {
      shown: true;
      respondents: number;
      /** Mean per statement key (one decimal), with the means of the earlier pulses that could be shown, oldest first. */
      statements: { key: string; average: number; previous: number[] }[];
    };

/** How many earlier pulses the channel summary shows beside this one. */
export const PULSE_HISTORY = 3;

const mean = (sum: number, count: number) => Math.round((sum / count) * 10) / 10;

/**
 * The pulse of cycle `sequence` for the channel, beside the earlier ones. Only pulses that at
 * least `minGroupSize` people answered count, now and in the trend.
 */
export function summarisePulse(tallies: readonly PulseTally[], sequence: number, minGroupSize: number): PulseResult {
  const now = tallies.find((tally) => tally.sequence === sequence);
  const respondents = now?.respondents ?? 0;
  if (!now || respondents < Math.max(1, minGroupSize)) return { shown: false, respondents };
  const earlier = tallies
    .filter((tally) => tally.sequence < sequence && tally.respondents >= Math.max(1, minGroupSize))
    .sort((a, b) => a.sequence - b.sequence)
    .slice(-PULSE_HISTORY);
  return {
    shown: true,
    respondents,
    statements: now.statements
      .filter((statement) => statement.responses > 0)
      .map((statement) => ({
        key: statement.key,
        average: mean(statement.sum, statement.responses),
        previous: earlier.flatMap((tally) => {
          const before = tally.statements.find((other) => other.key === statement.key);
          return before && before.responses > 0 ? [mean(before.sum, before.responses)] : [];
        }),
      })),
  };
}
