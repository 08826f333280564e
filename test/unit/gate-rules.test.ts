import { describe, expect, it } from "vitest";
import { needsNudge, snoozeUntil } from "../../src/domain/checkpoint-due.ts";
import { parseCommand } from "../../src/domain/command.ts";
import {
  checkpointsDueAt,
  decisionsFor,
  gateTiming,
  isStuck,
  mustMeetProgress,
  parseGateDate,
  phaseAfter,
  phaseTargets,
  plannedGate,
} from "../../src/domain/gate.ts";
import { PHASE_TARGET_DAYS } from "../../src/domain/phase.ts";

const DAY = 24 * 60 * 60 * 1000;
const start = new Date("2026-01-05T09:00:00Z");
const at = (days: number) => new Date(start.getTime() + days * DAY);

describe("phase gates", () => {
  it("takes the organisation's target days per phase, else the defaults", () => {
    expect(phaseTargets({})).toEqual(PHASE_TARGET_DAYS);
    expect(phaseTargets({ pilot: 120, explore: "soon", implement: 2 }).pilot).toBe(120);
    expect(phaseTargets({ pilot: 120, explore: "soon", implement: 2 }).explore).toBe(PHASE_TARGET_DAYS.explore);
    expect(phaseTargets({ implement: 2 }).implement).toBe(PHASE_TARGET_DAYS.implement);
    expect(phaseTargets(null)).toEqual(PHASE_TARGET_DAYS);
  });

  it("plans the gate from the project's date, else from the phase target", () => {
    const targets = phaseTargets({ pilot: 100 });
    expect(plannedGate({ phase: "pilot", phaseSince: start, gateDate: null, targets })).toEqual(at(100));
    expect(plannedGate({ phase: "pilot", phaseSince: start, gateDate: at(30), targets })).toEqual(at(30));
  });

  it("lets checkpoints fall due four weeks before the gate, halfway in a short phase, never before the phase", () => {
    expect(checkpointsDueAt(start, at(180))).toEqual(at(152));
    expect(checkpointsDueAt(start, at(20))).toEqual(at(10));
    expect(checkpointsDueAt(start, at(-5))).toEqual(start);
  });

  it("tells due from overdue with a controllable clock", () => {
    const checkpoint = { status: "open", dueAt: at(152), snoozedUntil: null, lastNudgedAt: null };
    expect(needsNudge(checkpoint, at(151))).toBe(false);
    expect(needsNudge(checkpoint, at(152))).toBe(true);
    expect(needsNudge(checkpoint, at(200))).toBe(true);
    expect(needsNudge({ ...checkpoint, status: "done" }, at(200))).toBe(false);
    // At most once a week, and not while snoozed.
    expect(needsNudge({ ...checkpoint, lastNudgedAt: at(195) }, at(200))).toBe(false);
    expect(needsNudge({ ...checkpoint, lastNudgedAt: at(193) }, at(200))).toBe(true);
    for (const weeks of [1, 2, 4]) {
      const until = snoozeUntil(at(200), weeks);
      expect(until).toEqual(at(200 + 7 * weeks));
      expect(needsNudge({ ...checkpoint, snoozedUntil: until }, at(200 + 7 * weeks - 1))).toBe(false);
      expect(needsNudge({ ...checkpoint, snoozedUntil: until }, at(200 + 7 * weeks))).toBe(true);
    }
  });

  it("knows when a gate is coming up and when a project overstays", () => {
    expect(gateTiming(at(0), at(30))).toBe("on-track");
    expect(gateTiming(at(16), at(30))).toBe("gate-soon");
    expect(gateTiming(at(31), at(30))).toBe("overstaying");
  });

  it("takes decisions where they lead: Go forward, Hold stays, Recycle back, Stop", () => {
    expect(phaseAfter("pilot", "go")).toBe("implement");
    expect(phaseAfter("pilot", "hold")).toBe("pilot");
    expect(phaseAfter("pilot", "recycle")).toBe("explore");
    expect(phaseAfter("pilot", "stop")).toBe("stopped");
    expect(decisionsFor("explore")).toEqual(["go", "hold", "stop"]);
    // A successful project finishes from scale: handed over, distinct from stopped.
    expect(decisionsFor("scale")).toEqual(["hold", "recycle", "stop", "finish"]);
    expect(phaseAfter("scale", "go")).toBeUndefined();
    expect(phaseAfter("scale", "finish")).toBe("finished");
    expect(phaseAfter("pilot", "finish")).toBeUndefined();
  });

  it("counts must-meet progress and marks a project stuck after three ignored nudges", () => {
    const open = { mustMeet: true, status: "open", nudgesSent: 2, snoozedUntil: null };
    const done = { mustMeet: true, status: "done", nudgesSent: 1, snoozedUntil: null };
    const should = { mustMeet: false, status: "not-applicable", nudgesSent: 0, snoozedUntil: null };
    expect(mustMeetProgress([open, done, should])).toEqual({ done: 1, total: 2 });
    expect(isStuck([open, done], at(0))).toBe(false);
    expect(isStuck([{ ...open, nudgesSent: 3 }], at(0))).toBe(true);
    expect(isStuck([{ ...open, nudgesSent: 3, snoozedUntil: at(7) }], at(0))).toBe(false);
    expect(isStuck([{ ...done, nudgesSent: 5 }], at(0))).toBe(false);
  });

  it("reads a typed gate date only when it is real and ahead", () => {
    expect(parseGateDate("2026-03-01", start)?.toISOString()).toBe("2026-03-01T12:00:00.000Z");
    expect(parseGateDate("1-3-2026", start)?.toISOString()).toBe("2026-03-01T12:00:00.000Z");
    expect(parseGateDate("31-2-2026", start)).toBeNull();
    expect(parseGateDate("2025-12-01", start)).toBeNull();
    expect(parseGateDate("2030-01-01", start)).toBeNull();
    expect(parseGateDate("soon", start)).toBeNull();
  });

  it("understands the portfolio command in both languages", () => {
    expect(parseCommand("portfolio")).toEqual({ name: "portfolio" });
    expect(parseCommand("Portefeuille")).toEqual({ name: "portfolio" });
  });
});
