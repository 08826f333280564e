/** How often the recurring jobs run; `every` in milliseconds, or a cron pattern in a timezone. */
export type Repeat = { every: number } | { pattern: string; tz: string };

export type ScheduleSettings = {
  retroTick: Repeat;
  checkpoints: Repeat;
  digest: Repeat;
  retention: Repeat;
  members: Repeat;
  /** Each lesson feed subscription's pull; a feed in back-off is skipped until its time. */
  lessonFeeds: Repeat;
};

// Checkpoint nudges on weekday mornings and digests on Monday morning keep messages out
// of quiet hours; the retro tick is frequent because it only acts when something is due.
export function productionSchedule(tickSeconds: number): ScheduleSettings {
  return {
    retroTick: { every: tickSeconds * 1000 },
    checkpoints: { pattern: "0 9 * * 1-5", tz: "Europe/Amsterdam" },
    digest: { pattern: "30 8 * * 1", tz: "Europe/Amsterdam" },
    // Nightly, when nobody is answering.
    retention: { pattern: "15 3 * * *", tz: "Europe/Amsterdam" },
    // Early, so the welcome of anyone new waits only for the start of the working day.
    members: { pattern: "30 6 * * *", tz: "Europe/Amsterdam" },
    lessonFeeds: { every: 15 * 60_000 },
  };
}

export function demoSchedule(): ScheduleSettings {
  return {
    retroTick: { every: 5_000 },
    checkpoints: { every: 20_000 },
    digest: { every: 4 * 60_000 },
    retention: { every: 60 * 60_000 },
    members: { every: 5 * 60_000 },
    lessonFeeds: { every: 60_000 },
  };
}
