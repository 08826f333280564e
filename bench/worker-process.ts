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
  type Waiter = { resolve: (message: FromWorker) => void; reject: (error: Error) => void };
  const waiting = new Map<FromWorker["type"], Waiter>();
  child.on("message", (message: FromWorker) => {
    const waiter = waiting.get(message.type);
    waiting.delete(message.type);
    waiter?.resolve(message);
  });
  // A worker that dies fails what the bench waits for, instead of leaving it waiting.
  let exit: Error | undefined;
  child.once("exit", (code) => {
    exit = new Error(`the bench's second worker process exited (code ${code})`);
    for (const waiter of waiting.values()) waiter.reject(exit);
    waiting.clear();
  });
  const wait = <T extends FromWorker["type"]>(answer: T) =>
    new Promise<Extract<FromWorker, { type: T }>>((resolve, reject) => {
      if (exit) return reject(exit);
      waiting.set(answer, { resolve: resolve as (message: FromWorker) => void, reject });
    });
  const ask = <T extends FromWorker["type"]>(message: ToWorker, answer: T) => {
    const answered = wait(answer);
    if (!exit) child.send(message);
    return answered;
  };
  return {
    /** Starts serving the delivery queues of `queuePrefix`; resolves once the workers are created. */
    async deliveries(input: { databaseUrl: string; redisUrl: string; queuePrefix: string; platformPort: number }) {
      await ask({ type: "deliveries", ...input }, "ready");
    },
    /**
     * A no-op worker for `count` jobs of `queue`: resolves once it is connected, with a
     * promise of the moment it has done them all and one of its closing afterwards.
     */
    async noop(input: { redisUrl: string; queue: string; count: number }) {
      const done = wait("noop-done").then(() => {});
      const closed = wait("noop-closed").then(() => {});
      await ask({ type: "noop", ...input }, "noop-ready");
      return { done, close: () => closed };
    },
    /** Peak RSS since the last reset, in bytes, and optionally starts a new peak from now. */
    async rss(reset: boolean) {
      return ask({ type: "rss", reset }, "rss");
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (exit) return resolve();
        child.once("exit", () => resolve());
        child.send({ type: "close" } satisfies ToWorker);
      }),
  };
}
