/** An organisation's own days off (local dates, "2026-12-28"), on top of public holidays. */
export type DaysOffStore = {
  /** The organisation's days off from `from` on, in date order. */
  list(organisationId: string, from: string): Promise<string[]>;
  /** Adds the dates; ones already there are kept. Returns how many were new. */
  add(organisationId: string, dates: readonly string[]): Promise<number>;
  /** Removes the dates; returns how many there were. */
  remove(organisationId: string, dates: readonly string[]): Promise<number>;
};
