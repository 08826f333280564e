// The fan-out bench's baseline: a bare BullMQ pipeline of no-op jobs on the same Redis.
import { randomBytes } from "node:crypto";
import { Queue, Worker } from "bullmq";
import { createRedisConnection } from "../src/scheduler/redis-connection.ts";
import { DELIVERY_CONCURRENCY } from "../src/scheduler/start-workers.ts";
import type { WorkerProcess } from "./worker-process.ts";

/**
 * Queues `count` no-op jobs from this process and resolves with the jobs per second until a
 * worker with the delivery workers' concurrency has done them all: in `worker` when given
 * (another process), else here.
 */
export async function bareBullmq(redisUrl: string, count: number, worker?: WorkerProcess): Promise<number> {
  const connection = createRedisConnection(redisUrl);
  const name = `bench${randomBytes(5).toString("hex")}-noop`;
  const queue = new Queue(name, { connection });
  // Connected before the clock starts, wherever it runs.
  const { done, close } = worker
    ? await worker.noop({ redisUrl, queue: name, count })
    : await noopWorker(redisUrl, name, count);
  const started = performance.now();
  for (let i = 0; i < count; i += 500) {
    await queue.addBulk(
      Array.from({ length: Math.min(500, count - i) }, (_, j) => ({
        name: "noop",
        data: { i: i + j },
        opts: { jobId: `noop-${i + j}`, removeOnComplete: true },
      })),
    );
  }
  await done;
  const seconds = (performance.now() - started) / 1000;
  await close();
  await queue.obliterate({ force: true });
  await queue.close();
  connection.disconnect();
  return count / seconds;
}

/**
 * A worker that does nothing for `count` jobs of queue `name`, once connected; `done`
 * resolves after the last.
 */
export async function noopWorker(redisUrl: string, name: string, count: number) {
  let finished: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finished = resolve;
  });
  let jobs = 0;
  const connection = createRedisConnection(redisUrl);
  const worker = new Worker(
    name,
    async () => {
      if (++jobs === count) finished();
    },
    { connection, concurrency: DELIVERY_CONCURRENCY },
  );
  worker.on("error", (error) => console.error(`  (baseline worker: ${error.message})`));
  await worker.waitUntilReady();
  return {
    done,
    async close() {
      await worker.close();
      connection.disconnect();
    },
  };
}
