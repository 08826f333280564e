// The bench's side of its second worker process (bench/worker-process-child.ts).
import { fork } from "node:child_process";
import path from "node:path";
import type { FromWorker, ToWorker } from "./worker-process-child.ts";

export type WorkerProcess = Awaited<ReturnType<typeof startWorkerProcess>>;

export async function startWorkerProcess() {
  const child = fork(path.join(import.meta.dirname, "worker-process-child.ts"), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const waiting = new Map<FromWorker["type"], (message: FromWorker) => void>();
  child.on("message", (message: FromWorker) => {
    const resolve = waiting.get(message.type);
    waiting.delete(message.type);
    resolve?.(message);
  });
  const ask = <T extends FromWorker["type"]>(message: ToWorker, answer: T) =>
    new Promise<Extract<FromWorker, { type: T }>>((resolve) => {
      waiting.set(answer, resolve as (message: FromWorker) => void);
      child.send(message);
    });
  return {
    /** Starts serving the delivery queues of `queuePrefix`; resolves once the workers are created. */
    async deliveries(input: { databaseUrl: string; redisUrl: string; queuePrefix: string; platformPort: number }) {
      await ask({ type: "deliveries", ...input }, "ready");
    },
    /**
     * A no-op worker for `count` jobs of `queue`: resolves once it is connected, with a
     * promise of the moment it has done them all.
     */
    async noop(input: { redisUrl: string; queue: string; count: number }) {
      const done = new Promise<void>((resolve) => waiting.set("noop-done", () => resolve()));
      await ask({ type: "noop", ...input }, "noop-ready");
      return { done };
    },
    /** Peak RSS since the last reset, in bytes, and optionally starts a new peak from now. */
    async rss(reset: boolean) {
      return ask({ type: "rss", reset }, "rss");
    },
    close: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.send({ type: "close" } satisfies ToWorker);
      }),
  };
}
