import { describe, expect, it } from "vitest";
import { parseCommand } from "../../src/domain/command.ts";
import { buildDigestContent } from "../../src/domain/digest-content.ts";
import { asksPulse, type PulseTally, summarisePulse } from "../../src/domain/team-pulse.ts";

const tally = (sequence: number, respondents: number, sum: number): PulseTally => ({
  sequence,
  respondents,
  statements: [{ key: "pulse-speak-up", responses: respondents, sum }],
});

describe("the team pulse", () => {
  it("comes every N-th retro, and never when N is 0", () => {
    expect([1, 2, 3, 4, 5, 8].filter((sequence) => asksPulse(sequence, 4))).toEqual([4, 8]);
    expect([1, 2, 3].filter((sequence) => asksPulse(sequence, 1))).toEqual([1, 2, 3]);
    expect([4, 8, 12].some((sequence) => asksPulse(sequence, 0))).toBe(false);
  });

  it("shows means only from pulses at least the minimum group size answered, now and in the trend", () => {
    const tallies = [tally(4, 3, 12), tally(8, 2, 10), tally(12, 4, 14), tally(16, 3, 9)];
    expect(summarisePulse(tallies, 8, 3)).toEqual({ shown: false, respondents: 2 });
    expect(summarisePulse(tallies, 16, 3)).toEqual({
      shown: true,
      respondents: 3,
      // Retro 8's pulse (2 people) is left out of the trend as well.
      statements: [{ key: "pulse-speak-up", average: 3, previous: [4, 3.5] }],
    });
    expect(summarisePulse(tallies, 20, 3)).toEqual({ shown: false, respondents: 0 });
  });

  it("leaves a small pulse out of the digest's period altogether", () => {
    const content = buildDigestContent({
      periodStart: new Date("2026-11-16T00:00:00Z"),
      periodEnd: new Date("2026-11-23T00:00:00Z"),
      minGroupSize: 3,
      interventions: [],
      history: 1,
      facts: {
        lessonsPerBucket: [],
        themeBuckets: [],
        topLessons: [],
        participation: [],
        participationBuckets: [],
        learningScores: [],
        followThrough: [],
        stalled: [],
        pulseScores: [
          { bucket: 0, cycleId: "a", respondents: 3, questionKey: "pulse-speak-up", responses: 3, sum: 12 },
          { bucket: 0, cycleId: "b", respondents: 2, questionKey: "pulse-speak-up", responses: 2, sum: 2 },
          { bucket: 1, cycleId: "c", respondents: 2, questionKey: "pulse-speak-up", responses: 2, sum: 10 },
        ],
      },
    });
    expect(content.teamPulse?.map(({ periodStart: _s, periodEnd: _e, ...rest }) => rest)).toEqual([
      { shown: false },
      { shown: true, respondents: 3, averages: { "pulse-speak-up": 4 } },
    ]);
  });

  it("is set by the lead in English and Dutch, and a bare or unclear word asks again", () => {
    expect(parseCommand("pulse 6")).toEqual({ name: "pulse", every: 6 });
    expect(parseCommand("teampeiling om de 3")).toEqual({ name: "pulse", every: 3 });
    expect(parseCommand("pulse off")).toEqual({ name: "pulse", every: 0 });
    expect(parseCommand("teampeiling uit")).toEqual({ name: "pulse", every: 0 });
    for (const unclear of ["pulse", "pulse 13", "teampeiling vaak", "pulse 2.5"]) {
      expect(parseCommand(unclear)).toEqual({ name: "pulse", every: null });
    }
  });
});
