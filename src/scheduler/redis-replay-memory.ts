// Replay memory shared by every `serve` process: one Redis key per remembered request,
// SET NX EX, so the first process to see a request wins and the key expires by itself.
import type { Redis } from "ioredis";
import { createInProcessReplayMemory, type ReplayMemory } from "../ports/replay-memory.ts";

/** Past this Redis counts as unavailable for this request; the process's own memory answers. */
const REDIS_TIMEOUT_MS = 500;

export function createRedisReplayMemory(connection: Redis, prefix: string): ReplayMemory {
  const local = createInProcessReplayMemory();
  return {
    async firstTime(key, ttlSeconds) {
      // The local memory is asked too: a copy sent to this process while Redis is away stays refused.
      const locally = await local.firstTime(key, ttlSeconds);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), REDIS_TIMEOUT_MS);
        timer.unref();
      });
      try {
        const answer = await Promise.race([
          connection.set(`${prefix}:replay:${key}`, "1", "EX", ttlSeconds, "NX"),
          timeout,
        ]);
        if (answer === "timeout") return locally;
        return answer === "OK" && locally;
      } catch {
        return locally;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
