// Handles a platform's recorded requests: the one just received at once, in the process
// that acknowledged it, and any whose handler died or failed from a loop that polls the
// database. The database row is the only record, so nothing here depends on Redis.
import { randomUUID } from "node:crypto";
import type { Platform } from "../../domain/inbound-event.ts";
import type { InboundRunner, InboundRunnerSettings } from "../../ports/inbound-runner.ts";
import type { Logger } from "../../ports/logger.ts";
import type { ReceivedClaim, ReceivedEventStore } from "../../ports/received-event-store.ts";

const DAY_MS = 24 * 3600 * 1000;
/** Handled requests are kept this long, so a platform's late retry is still recognised. */
const KEEP_MS = 7 * DAY_MS;
const PRUNE_EVERY_MS = 3600 * 1000;
const BATCH = 10;

export function createInboundRunner(input: {
  platform: Platform;
  store: ReceivedEventStore;
  logger: Logger;
  settings?: InboundRunnerSettings;
  now?: () => Date;
}): InboundRunner {
  const { platform, store, logger } = input;
  const leaseMs = input.settings?.leaseMs ?? 30_000;
  const pollMs = input.settings?.pollMs ?? 5_000;
  const maxAttempts = input.settings?.maxAttempts ?? 5;
  const now = input.now ?? (() => new Date());
  const running = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let polling: Promise<void> | undefined;
  let lastPrune = 0;

  const lease = () => {
    const at = now();
    return { token: randomUUID(), now: at, until: new Date(at.getTime() + leaseMs) };
  };

  /** Every claim this process holds, renewed together at a third of the lease. */
  const held = new Set<ReceivedClaim>();
  let renewal: NodeJS.Timeout | undefined;
  function hold(claim: ReceivedClaim): void {
    held.add(claim);
    renewal ??= setInterval(() => {
      if (held.size === 0) {
        clearInterval(renewal);
        renewal = undefined;
        return;
      }
      // A slow or queued handler keeps its request; a dead process's claims lapse.
      void store.extend([...held], new Date(now().getTime() + leaseMs)).catch(() => undefined);
    }, leaseMs / 3);
    renewal.unref();
  }

  async function settle(claim: ReceivedClaim, work: () => Promise<void>): Promise<void> {
    hold(claim);
    try {
      await work();
      held.delete(claim);
      await store.complete(claim, now());
    } catch (error) {
      held.delete(claim);
      const code = errorCode(error);
      if (claim.attempts >= maxAttempts) {
        logger.error({ code: "INBOUND_GAVE_UP", platform, attempts: claim.attempts, err: code }, "gave up a request");
        await store.giveUp(claim, code);
      } else {
        // 2, 4, 8, 16 s: a platform or database hiccup passes; a lasting fault is given up soon.
        const wait = 1000 * 2 ** claim.attempts;
        logger.warn(
          { code: "INBOUND_RETRY", platform, attempts: claim.attempts, err: code },
          "request will be retried",
        );
        await store.retryLater(claim, new Date(now().getTime() + wait), code);
      }
    }
  }

  function run(claim: ReceivedClaim, work: () => Promise<void>): Promise<void> {
    const done = settle(claim, work).catch((error) => {
      // The record could not be settled (the database is away): the lease lapses and the
      // loop takes the request again, so it is not lost.
      logger.warn({ code: "INBOUND_SETTLE_FAILED", platform, err: errorCode(error) }, "could not settle a request");
    });
    running.add(done);
    void done.finally(() => running.delete(done));
    return done;
  }

  async function poll(replay: (payload: unknown) => Promise<void>): Promise<void> {
    const due = await store.claimDue(platform, lease(), BATCH);
    // Side by side: each claim's lease runs from now, and its renewal only once its run starts.
    await Promise.all(due.map((claimed) => run(claimed, () => replay(claimed.payload))));
    if (due.length > 0)
      logger.info({ code: "INBOUND_REPLAYED", platform, count: due.length }, "handled waiting requests");
    if (now().getTime() - lastPrune > PRUNE_EVERY_MS) {
      lastPrune = now().getTime();
      await store.prune(new Date(now().getTime() - KEEP_MS), 1000);
    }
  }

  return {
    receive: (key, payload) => store.receive(platform, key, payload, lease()),
    run,
    start(replay) {
      if (timer) return;
      const tick = () => {
        if (polling) return;
        polling = poll(replay)
          .catch((error) => {
            logger.warn(
              { code: "INBOUND_POLL_FAILED", platform, err: errorCode(error) },
              "could not look for requests",
            );
          })
          .finally(() => {
            polling = undefined;
          });
      };
      timer = setInterval(tick, pollMs);
      timer.unref();
      tick();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await polling;
      await Promise.all(running);
      if (renewal) clearInterval(renewal);
      renewal = undefined;
    },
  };
}

function errorCode(error: unknown): string {
  if (error instanceof Error) return (error as Error & { code?: string }).code ?? error.name;
  return "unknown";
}
