/** Public holidays; the Dutch calendar comes from a maintained library, not a hand list. */
export type HolidayCalendar = {
  /** The holiday's name on that local date ("2026-04-27"), or null on an ordinary day. */
  holidayOn(localDate: string): string | null;
};
