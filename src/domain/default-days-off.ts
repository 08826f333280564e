/**
 * Days off every organisation gets without adding them. Bevrijdingsdag (5 May) is not a
 * public holiday in the calendar, but the collective labour agreement for municipalities
 * (CAO Gemeenten) gives it off every fifth year (2025, 2030, …), the lustrum years.
 */
export function isDefaultDayOff(localDate: string): boolean {
  const match = /^(\d{4})-05-05$/.exec(localDate);
  return match !== null && Number(match[1]) % 5 === 0;
}
