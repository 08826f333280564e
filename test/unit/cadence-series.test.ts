import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import type { Cadence, HolidayPolicy } from "../../src/domain/cadence.ts";
import { nextPlannedRetro, upcomingRetros } from "../../src/domain/cadence-series.ts";
import { isDefaultDayOff } from "../../src/domain/default-days-off.ts";
import { createDutchHolidayCalendar } from "../../src/runtime/dutch-holiday-calendar.ts";

// Every expected date below is written by hand from a calendar of 2026 and 2027 and the
// Dutch public holidays the project's calendar (date-holidays, type "public") knows:
// 2026: 1 Jan (Thu), 5–6 Apr (Easter, Mon 6), 27 Apr (Mon), 14 May (Thu), 24–25 May (Mon 25),
//       25–26 Dec (Fri, Sat);
// 2027: 1 Jan (Fri), 28–29 Mar (Mon 29), 27 Apr (Tue), 6 May (Thu), 16–17 May (Mon 17),
//       25–26 Dec (Sat, Sun).
// Good Friday is not a public holiday there (a school day off), nor is 5 May outside lustrum
// years. Daylight saving starts Sun 29 Mar 2026 and ends Sun 25 Oct 2026.

const ZONE = "Europe/Amsterdam";
const calendar = createDutchHolidayCalendar();
const isHoliday = (date: string) => calendar.holidayOn(date) !== null || isDefaultDayOff(date);

/** "2026", { 1: "05 12" } → ["2026-01-05", "2026-01-12"]: hand-written days, month by month. */
function days(year: number, months: Record<number, string>): string[] {
  return Object.entries(months).flatMap(([month, list]) =>
    list
      .split(" ")
      .filter(Boolean)
      .map((day) => `${year}-${month.padStart(2, "0")}-${day}`),
  );
}

/** The local dates of every retro from `since` to the end of 2027; each must open at 15:00 local. */
function schedule(cadence: Cadence, since: string, policy: HolidayPolicy, dayOff = isHoliday): string[] {
  const series = { cadence, since: DateTime.fromISO(since, { zone: ZONE }).toJSDate() };
  const end = DateTime.fromISO("2028-01-01", { zone: ZONE }).toJSDate();
  const dates: string[] = [];
  let last: Date | undefined;
  for (;;) {
    const retro = nextPlannedRetro(series, last, policy, dayOff);
    if (retro.opensAt >= end) return dates;
    const local = DateTime.fromJSDate(retro.opensAt, { zone: ZONE });
    expect(local.toFormat("HH:mm")).toBe("15:00");
    dates.push(local.toISODate() ?? "");
    last = retro.slot;
  }
}

const weekly = (weekday: number, everyWeeks: number): Cadence => ({
  kind: "weekly",
  weekday,
  time: "15:00",
  everyWeeks,
  timezone: ZONE,
});
const monthly = (weekday: number, nth: number): Cadence => ({
  kind: "monthly",
  weekday,
  nth,
  time: "15:00",
  timezone: ZONE,
});

describe("a cadence is a series, not a chain", () => {
  const mondays2026 = {
    1: "05 12 19 26",
    2: "02 09 16 23",
    3: "02 09 16 23 30",
    4: "07 13 20 28",
    5: "04 11 18 26",
    6: "01 08 15 22 29",
    7: "06 13 20 27",
    8: "03 10 17 24 31",
    9: "07 14 21 28",
    10: "05 12 19 26",
    11: "02 09 16 23 30",
    12: "07 14 21 28",
  };
  const mondays2027 = {
    1: "04 11 18 25",
    2: "01 08 15 22",
    3: "01 08 15 22 30",
    4: "05 12 19 26",
    5: "03 10 18 24 31",
    6: "07 14 21 28",
    7: "05 12 19 26",
    8: "02 09 16 23 30",
    9: "06 13 20 27",
    10: "04 11 18 25",
    11: "01 08 15 22 29",
    12: "06 13 20 27",
  };

  it("weekly on Monday, holidays moved: Easter, King's Day and Whit Monday go to Tuesday, the rest stays", () => {
    expect(schedule(weekly(1, 1), "2026-01-01", "move")).toEqual([
      ...days(2026, mondays2026),
      ...days(2027, mondays2027),
    ]);
  });

  it("weekly on Monday, holidays skipped: only the holiday Mondays are missing", () => {
    expect(schedule(weekly(1, 1), "2026-01-01", "skip")).toEqual([
      ...days(2026, { ...mondays2026, 4: "13 20", 5: "04 11 18" }),
      ...days(2027, { ...mondays2027, 3: "01 08 15 22", 5: "03 10 24 31" }),
    ]);
  });

  const thursdays = {
    2026: {
      1: "08 22",
      2: "05 19",
      3: "05 19",
      4: "02 16 30",
      5: "15 28",
      6: "11 25",
      7: "09 23",
      8: "06 20",
      9: "03 17",
      10: "01 15 29",
      11: "12 26",
      12: "10 24",
    },
    2027: {
      1: "07 21",
      2: "04 18",
      3: "04 18",
      4: "01 15 29",
      5: "13 27",
      6: "10 24",
      7: "08 22",
      8: "05 19",
      9: "02 16 30",
      10: "14 28",
      11: "11 25",
      12: "09 23",
    },
  };

  it("every 2 weeks on Thursday: Ascension Day moves to Friday and the fortnight keeps its rhythm", () => {
    expect(schedule(weekly(4, 2), "2026-01-08", "move")).toEqual([
      ...days(2026, thursdays[2026]),
      ...days(2027, thursdays[2027]),
    ]);
    expect(schedule(weekly(4, 2), "2026-01-08", "skip")).toEqual([
      ...days(2026, { ...thursdays[2026], 5: "28" }),
      ...days(2027, thursdays[2027]),
    ]);
  });

  const fridays = {
    2026: {
      1: "02 23",
      2: "13",
      3: "06 27",
      4: "17",
      5: "08 29",
      6: "19",
      7: "10 31",
      8: "21",
      9: "11",
      10: "02 23",
      11: "13",
      12: "04 28",
    },
    2027: {
      1: "15",
      2: "05 26",
      3: "19",
      4: "09 30",
      5: "21",
      6: "11",
      7: "02 23",
      8: "13",
      9: "03 24",
      10: "15",
      11: "05 26",
      12: "17",
    },
  };

  it("every 3 weeks on Friday: Christmas Day moves to Monday 28 December, the series goes on from 25 December", () => {
    expect(schedule(weekly(5, 3), "2026-01-01", "move")).toEqual([
      ...days(2026, fridays[2026]),
      ...days(2027, fridays[2027]),
    ]);
    expect(schedule(weekly(5, 3), "2026-01-01", "skip")).toEqual([
      ...days(2026, { ...fridays[2026], 12: "04" }),
      ...days(2027, fridays[2027]),
    ]);
  });

  it("monthly on the first Monday: Easter Monday moves to Tuesday 7 April or is skipped", () => {
    const firstMondays = {
      2026: {
        1: "05",
        2: "02",
        3: "02",
        4: "07",
        5: "04",
        6: "01",
        7: "06",
        8: "03",
        9: "07",
        10: "05",
        11: "02",
        12: "07",
      },
      2027: {
        1: "04",
        2: "01",
        3: "01",
        4: "05",
        5: "03",
        6: "07",
        7: "05",
        8: "02",
        9: "06",
        10: "04",
        11: "01",
        12: "06",
      },
    };
    expect(schedule(monthly(1, 1), "2026-01-01", "move")).toEqual([
      ...days(2026, firstMondays[2026]),
      ...days(2027, firstMondays[2027]),
    ]);
    const { 4: _easter, ...withoutApril } = firstMondays[2026];
    expect(schedule(monthly(1, 1), "2026-01-01", "skip")).toEqual([
      ...days(2026, withoutApril),
      ...days(2027, firstMondays[2027]),
    ]);
  });

  it("monthly on the last Friday: Christmas Day moves to Monday 28 December or is skipped; Good Friday is kept", () => {
    const lastFridays = {
      2026: {
        1: "30",
        2: "27",
        3: "27",
        4: "24",
        5: "29",
        6: "26",
        7: "31",
        8: "28",
        9: "25",
        10: "30",
        11: "27",
        12: "28",
      },
      2027: {
        1: "29",
        2: "26",
        3: "26",
        4: "30",
        5: "28",
        6: "25",
        7: "30",
        8: "27",
        9: "24",
        10: "29",
        11: "26",
        12: "31",
      },
    };
    expect(schedule(monthly(5, -1), "2026-01-01", "move")).toEqual([
      ...days(2026, lastFridays[2026]),
      ...days(2027, lastFridays[2027]),
    ]);
    const { 12: _christmas, ...withoutDecember } = lastFridays[2026];
    expect(schedule(monthly(5, -1), "2026-01-01", "skip")).toEqual([
      ...days(2026, withoutDecember),
      ...days(2027, lastFridays[2027]),
    ]);
  });

  it("keeps 15:00 on the wall clock across both daylight-saving changes of 2026", () => {
    const series = { cadence: weekly(1, 1), since: new Date("2026-03-16T00:00:00Z") };
    const around = (from: string) =>
      upcomingRetros(series, new Date(from), "move", isHoliday, 2).map((retro) => retro.opensAt.toISOString());
    expect(around("2026-03-16T14:00:00Z")).toEqual(["2026-03-23T14:00:00.000Z", "2026-03-30T13:00:00.000Z"]);
    expect(around("2026-10-12T13:00:00Z")).toEqual(["2026-10-19T13:00:00.000Z", "2026-10-26T14:00:00.000Z"]);
  });

  it("moves a retro after a moved one too: Christmas and New Year's Day on Friday both go to Monday", () => {
    const fridays = schedule(weekly(5, 1), "2026-12-17", "move");
    expect(fridays.slice(0, 5)).toEqual(["2026-12-18", "2026-12-28", "2027-01-04", "2027-01-08", "2027-01-15"]);
  });

  it("treats the organisation's own days off like holidays, and drops a retro that would be moved onto the next one", () => {
    const own = new Set(["2026-12-28", "2026-12-29", "2026-12-30", "2026-12-31"]);
    const dayOff = (date: string) => own.has(date) || isHoliday(date);
    const mondays = schedule(weekly(1, 1), "2026-12-14", "move", dayOff);
    expect(mondays.slice(0, 4)).toEqual(["2026-12-14", "2026-12-21", "2027-01-04", "2027-01-11"]);
  });

  it("gives 5 May off in lustrum years only (CAO Gemeenten), on top of the public holidays", () => {
    expect(isDefaultDayOff("2025-05-05")).toBe(true);
    expect(isDefaultDayOff("2030-05-05")).toBe(true);
    expect(isDefaultDayOff("2026-05-05")).toBe(false);
    expect(calendar.holidayOn("2025-05-05")).toBeNull();
    const series = { cadence: weekly(1, 1), since: new Date("2025-04-28T00:00:00Z") };
    const [may] = upcomingRetros(series, new Date("2025-04-28T13:00:00Z"), "move", isHoliday, 1);
    expect(may?.opensAt.toISOString()).toBe("2025-05-06T13:00:00.000Z");
  });

  it("a new series starts at the change: a cadence set on a Wednesday first opens on the chosen day after it", () => {
    const series = { cadence: weekly(4, 2), since: new Date("2026-11-25T10:00:00Z") };
    const [first, second] = upcomingRetros(series, undefined, "move", isHoliday, 2);
    expect(first?.opensAt.toISOString()).toBe("2026-11-26T14:00:00.000Z");
    expect(second?.opensAt.toISOString()).toBe("2026-12-10T14:00:00.000Z");
  });

  it("catches up after a pause with one retro, not one for every slot it missed", () => {
    const series = { cadence: weekly(1, 1), since: new Date("2026-11-01T00:00:00Z") };
    const retro = nextPlannedRetro(
      series,
      new Date("2026-11-02T14:00:00Z"),
      "move",
      isHoliday,
      new Date("2026-11-25T09:00:00Z"),
    );
    expect(retro.slot.toISOString()).toBe("2026-11-23T14:00:00.000Z");
  });
});

describe("a minutes cadence (demo and tests)", () => {
  // Its slots are counted in absolute time, as luxon's plus of minutes counts them; holidays
  // and the time of day play no part. Hand-picked moments: on a slot, just before and after
  // one, before the series starts, and across the change to daylight saving.
  const since = new Date("2026-03-28T22:17:00.000Z");
  const cadence: Cadence = { kind: "minutes", every: 45 };
  const slot = (k: number) => new Date(since.getTime() + k * 45 * 60_000);

  it("plans the slot after the last one, or the first", () => {
    const series = { cadence, since };
    expect(nextPlannedRetro(series, undefined, "move", isHoliday)).toEqual({ slot: since, opensAt: since });
    expect(nextPlannedRetro(series, slot(3), "skip", isHoliday).slot).toEqual(slot(4));
    expect(nextPlannedRetro(series, new Date(slot(3).getTime() - 1), "move", isHoliday).slot).toEqual(slot(3));
    expect(nextPlannedRetro(series, new Date(slot(3).getTime() + 1), "move", isHoliday).slot).toEqual(slot(4));
    expect(nextPlannedRetro(series, new Date(since.getTime() - 60_000), "move", isHoliday).slot).toEqual(since);
  });

  it("catches up with the latest slot already passed, not a burst", () => {
    const series = { cadence, since };
    const now = new Date(slot(40).getTime() + 10 * 60_000);
    expect(nextPlannedRetro(series, slot(2), "move", isHoliday, now)).toEqual({ slot: slot(40), opensAt: slot(40) });
    expect(nextPlannedRetro(series, slot(40), "move", isHoliday, now).slot).toEqual(slot(41));
    expect(upcomingRetros(series, slot(2), "move", isHoliday, 3, now).map((retro) => retro.slot)).toEqual([
      slot(40),
      slot(41),
      slot(42),
    ]);
  });
});
