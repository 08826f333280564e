import { nextAllowedMoment, type QuietHours } from "../domain/working-time.ts";
import type { HolidayCalendar } from "../ports/holiday-calendar.ts";

/** When a message may go out: now, or the recipient's next working moment. Undefined means now. */
export function deliverAt(holidays: HolidayCalendar, now: Date, timezone: string, quiet: QuietHours): Date | undefined {
  const at = nextAllowedMoment(now, timezone, quiet, (date) => holidays.holidayOn(date) !== null);
  return at > now ? at : undefined;
}

export function isHolidayIn(holidays: HolidayCalendar): (localDate: string) => boolean {
  return (localDate) => holidays.holidayOn(localDate) !== null;
}
