import { isDefaultDayOff } from "../domain/default-days-off.ts";
import { nextAllowedMoment, type QuietHours } from "../domain/working-time.ts";
import type { HolidayCalendar } from "../ports/holiday-calendar.ts";

/** When a message may go out: now, or the recipient's next working moment. Undefined means now. */
export function deliverAt(holidays: HolidayCalendar, now: Date, timezone: string, quiet: QuietHours): Date | undefined {
  const at = nextAllowedMoment(now, timezone, quiet, isDayOffIn(holidays, quiet));
  return at > now ? at : undefined;
}

export function isHolidayIn(holidays: HolidayCalendar): (localDate: string) => boolean {
  return (localDate) => holidays.holidayOn(localDate) !== null;
}

/** Public holidays, the default days off and the organisation's own (from its messaging hours). */
export function isDayOffIn(holidays: HolidayCalendar, quiet: QuietHours): (localDate: string) => boolean {
  const own = new Set(quiet.daysOff ?? []);
  return (localDate) => own.has(localDate) || isDefaultDayOff(localDate) || holidays.holidayOn(localDate) !== null;
}
