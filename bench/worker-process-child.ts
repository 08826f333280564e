// The fan-out bench's second worker process (bench/worker-process.ts starts it): serves the
// delivery queues alone, as `leerlus worker` with WORKER_QUEUES=deliveries does, and runs
// the bare BullMQ baseline's no-op jobs when asked, so both pipelines do their work here.
import { createDatabase } from "../src/persistence/database.ts";
import { noopWorker } from "./bare-bullmq.ts";
import { startBenchWorker } from "./bench-worker.ts";

export type ToWorker =
  | { type: "deliveries"; databaseUrl: string; redisUrl: string; queuePrefix: string; platformPort: number }
  | { type: "noop"; redisUrl: string; queue: string; count: number }
  | { type: "rss"; reset: boolean }
  | { type: "close" };

export type FromWorker =
  | { type: "ready" }
  | { type: "noop-ready" }
  | { type: "noop-done" }
  | { type: "noop-closed" }
  | { type: "rss"; peak: number; now: number };

const send = (message: FromWorker) => process.send?.(message);
const closers: (() => Promise<unknown>)[] = [];
let peakRss = process.memoryUsage.rss();
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 50);

function startDeliveries(message: Extract<ToWorker, { type: "deliveries" }>): void {
  const db = createDatabase(message.databaseUrl, 10);
  const worker = startBenchWorker(db, { ...message, queues: { ticks: false, deliveries: true } });
  closers.push(
    () => worker.close(),
    () => db.destroy(),
  );
}

async function runNoop(message: Extract<ToWorker, { type: "noop" }>): Promise<void> {
  const worker = await noopWorker(message.redisUrl, message.queue, message.count);
  send({ type: "noop-ready" });
  await worker.done;
  send({ type: "noop-done" });
  await worker.close();
  send({ type: "noop-closed" });
}

process.on("message", (message: ToWorker) => {
  if (message.type === "deliveries") {
    startDeliveries(message);
    send({ type: "ready" });
  }
  if (message.type === "noop") void runNoop(message);
  if (message.type === "rss") {
    send({ type: "rss", peak: peakRss, now: process.memoryUsage.rss() });
    if (message.reset) peakRss = process.memoryUsage.rss();
  }
  if (message.type === "close") {
    clearInterval(sampler);
    void (async () => {
      for (const close of closers) await close();
    })().finally(() => process.exit(0));
  }
});
