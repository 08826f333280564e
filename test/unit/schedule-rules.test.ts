import { describe, expect, it } from "vitest";
import { nextOpening, plannedOpening } from "../../src/domain/cadence.ts";
import { parseCadence } from "../../src/domain/cadence-text.ts";
import { parseCommand, parseDate } from "../../src/domain/command.ts";
import { cycleWindow } from "../../src/domain/cycle-window.ts";
import { addWorkingDays, nextAllowedMoment, type QuietHours } from "../../src/domain/working-time.ts";
import { createDutchHolidayCalendar } from "../../src/runtime/dutch-holiday-calendar.ts";

const zone = "Europe/Amsterdam";
const calendar = createDutchHolidayCalendar();
const isHoliday = (date: string) => calendar.holidayOn(date) !== null;
const office: QuietHours = { allowedFrom: 8 * 60, allowedUntil: 18 * 60, weekends: true };

describe("Dutch public holidays from the maintained library", () => {
  it("knows King's Day, Christmas and Easter Monday, and ordinary days", () => {
    expect(calendar.holidayOn("2026-04-27")).toMatch(/Koningsdag/);
    expect(calendar.holidayOn("2026-12-25")).toMatch(/Kerst/);
    expect(calendar.holidayOn("2026-04-06")).not.toBeNull();
    expect(calendar.holidayOn("2026-11-24")).toBeNull();
  });
});

describe("cadence across daylight saving and holidays", () => {
  it("keeps 15:00 local on the weekend clocks go forward (2026-03-29)", () => {
    const weekly = { kind: "weekly", weekday: 1, time: "15:00", everyWeeks: 1, timezone: zone } as const;
    const before = nextOpening(weekly, new Date("2026-03-20T12:00:00Z"));
    expect(before.toISOString()).toBe("2026-03-23T14:00:00.000Z"); // CET
    expect(nextOpening(weekly, before, before).toISOString()).toBe("2026-03-30T13:00:00.000Z"); // CEST
  });

  it("moves a retro on King's Day to the next working day, or skips it", () => {
    const monday = { kind: "weekly", weekday: 1, time: "10:00", everyWeeks: 1, timezone: zone } as const;
    const after = new Date("2026-04-21T12:00:00Z");
    expect(plannedOpening(monday, after, undefined, "move", isHoliday).toISOString()).toBe("2026-04-28T08:00:00.000Z");
    expect(plannedOpening(monday, after, undefined, "skip", isHoliday).toISOString()).toBe("2026-05-04T08:00:00.000Z");
  });

  it("moves a retro on Christmas Friday over the weekend and Boxing Day to Monday", () => {
    const friday = { kind: "weekly", weekday: 5, time: "15:00", everyWeeks: 1, timezone: zone } as const;
    const opening = plannedOpening(friday, new Date("2026-12-21T12:00:00Z"), undefined, "move", isHoliday);
    expect(opening.toISOString()).toBe("2026-12-28T14:00:00.000Z");
  });

  it("leaves the demo's minute cadence alone", () => {
    const now = new Date("2026-12-25T12:00:00Z");
    expect(plannedOpening({ kind: "minutes", every: 3 }, now, undefined, "move", isHoliday)).toEqual(now);
  });
});

describe("quiet hours and working days", () => {
  it("sends during office hours at once", () => {
    const at = new Date("2026-11-24T10:00:00Z"); // Tuesday 11:00
    expect(nextAllowedMoment(at, zone, office, isHoliday)).toEqual(at);
  });

  it("holds evening, weekend and holiday messages until the next working morning", () => {
    expect(nextAllowedMoment(new Date("2026-11-24T19:00:00Z"), zone, office, isHoliday).toISOString()).toBe(
      "2026-11-25T07:00:00.000Z",
    );
    expect(nextAllowedMoment(new Date("2026-11-28T10:00:00Z"), zone, office, isHoliday).toISOString()).toBe(
      "2026-11-30T07:00:00.000Z",
    );
    expect(nextAllowedMoment(new Date("2026-12-24T18:30:00Z"), zone, office, isHoliday).toISOString()).toBe(
      "2026-12-28T07:00:00.000Z",
    );
    expect(nextAllowedMoment(new Date("2026-11-24T05:00:00Z"), zone, office, isHoliday).toISOString()).toBe(
      "2026-11-24T07:00:00.000Z",
    );
  });

  it("counts the answer window in working days", () => {
    const friday = new Date("2026-11-27T14:00:00Z");
    expect(addWorkingDays(friday, 2, zone, isHoliday).toISOString()).toBe("2026-12-01T14:00:00.000Z");
    const window = cycleWindow(friday, 2 * 24 * 60, 50, { timezone: zone, isHoliday });
    expect(window.closesAt.toISOString()).toBe("2026-12-01T14:00:00.000Z");
    expect(window.remindsAt.getTime()).toBe(friday.getTime() + (window.closesAt.getTime() - friday.getTime()) / 2);
    expect(cycleWindow(friday, 2, 50).closesAt.getTime() - friday.getTime()).toBe(120_000);
  });
});

describe("cadence and commands typed in chat", () => {
  it("understands cadences in English and Dutch", () => {
    expect(parseCadence("every 2 weeks on thursday at 15:00")).toEqual({
      kind: "weekly",
      weekday: 4,
      time: "15:00",
      everyWeeks: 2,
    });
    expect(parseCadence("elke 3 weken dinsdag 9.30")).toEqual({
      kind: "weekly",
      weekday: 2,
      time: "09:30",
      everyWeeks: 3,
    });
    expect(parseCadence("monthly first tuesday 10:00")).toEqual({ kind: "monthly", weekday: 2, nth: 1, time: "10:00" });
    expect(parseCadence("maandelijks tweede vrijdag 14:00")).toEqual({
      kind: "monthly",
      weekday: 5,
      nth: 2,
      time: "14:00",
    });
    expect(parseCadence("sometimes")).toBeNull();
    expect(parseCadence("weekly saturday 10:00")).toBeNull();
  });

  it("parses absences, skips and cadence changes", () => {
    expect(parseDate("2026-12-24")).toBe("2026-12-24");
    expect(parseDate("24-12-2026")).toBe("2026-12-24");
    expect(parseDate("31-02-2026")).toBeNull();
    expect(parseCommand("away until 2026-12-24")).toEqual({ name: "away", until: "2026-12-24" });
    expect(parseCommand("afwezig tot 24/12/2026")).toEqual({ name: "away", until: "2026-12-24" });
    expect(parseCommand("away until soon")).toEqual({ name: "away", until: null });
    expect(parseCommand("terug")).toEqual({ name: "back" });
    expect(parseCommand("retro overslaan")).toEqual({ name: "skip-next" });
    expect(parseCommand("ritme wekelijks maandag 10:00")).toMatchObject({ name: "cadence", cadence: { weekday: 1 } });
  });
});
