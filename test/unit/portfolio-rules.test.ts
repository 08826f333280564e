import { describe, expect, it } from "vitest";
import { overdueMustMeet } from "../../src/domain/portfolio.ts";

const now = new Date("2026-12-07T12:00:00Z");
const before = new Date("2026-12-01T12:00:00Z");
const after = new Date("2026-12-20T12:00:00Z");

describe("the portfolio's schedule", () => {
  it("counts only open must-meet checkpoints whose due date has passed", () => {
    const checkpoints = [
      { mustMeet: true, status: "open", dueAt: before },
      { mustMeet: true, status: "open", dueAt: before },
      { mustMeet: true, status: "open", dueAt: after },
      { mustMeet: true, status: "done", dueAt: before },
      { mustMeet: true, status: "not-applicable", dueAt: before },
      { mustMeet: false, status: "open", dueAt: before },
    ];
    expect(overdueMustMeet(checkpoints, now)).toBe(2);
    expect(overdueMustMeet([], now)).toBe(0);
  });
});
