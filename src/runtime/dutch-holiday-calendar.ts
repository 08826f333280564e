import Holidays from "date-holidays";
import type { HolidayCalendar } from "../ports/holiday-calendar.ts";

/**
 * Dutch public holidays (Koningsdag, Easter, Ascension, Whitsun, Christmas…). The library
 * marks Good Friday and Bevrijdingsdag as school days, not public ones; 5 May in lustrum
 * years comes from the default days off (domain/default-days-off.ts) instead.
 */
export function createDutchHolidayCalendar(): HolidayCalendar {
  const holidays = new Holidays("NL");
  const cache = new Map<string, string | null>();
  return {
    holidayOn(localDate) {
      const cached = cache.get(localDate);
      if (cached !== undefined) return cached;
      const found = holidays.isHoliday(new Date(`${localDate}T12:00:00Z`));
      const publicHoliday = Array.isArray(found) ? found.find((holiday) => holiday.type === "public") : undefined;
      const name = publicHoliday?.name ?? null;
      cache.set(localDate, name);
      return name;
    },
  };
}
