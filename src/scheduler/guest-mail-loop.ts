// Guest mails are queued in the database (GuestMail), not in Redis: a worker looks for due ones
// every few seconds and sends them. Any number of workers may run it; the claim in the database
// keeps two from sending the same mail, and a Redis outage does not hold mail up.
import type { Logger } from "../ports/logger.ts";

export type GuestMailLoop = { stop(): Promise<void> };

export function startGuestMailLoop(input: {
  send: () => Promise<unknown>;
  intervalMs: number;
  logger: Logger;
}): GuestMailLoop {
  let running: Promise<void> | undefined;
  let stopped = false;
  const run = () => {
    if (stopped || running) return;
    running = input
      .send()
      .then(
        () => undefined,
        // The database was away, most likely: the mails stay queued for the next round.
        (error: Error) =>
          input.logger.warn({ code: "GUEST_MAIL_ROUND_FAILED", err: error.name }, "guest mail round failed"),
      )
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(run, input.intervalMs);
  run();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
