/**
 * Remembers keys (a signed request's signature) for a while, so a request copied and sent
 * again within its validity window is acted on once.
 */
export type ReplayMemory = {
  /** Records the key for `ttlSeconds`; true the first time, false while it is remembered. */
  firstTime(key: string, ttlSeconds: number): Promise<boolean>;
};

/** One process's memory: enough for one `serve` process; several share the Redis one. */
export function createInProcessReplayMemory(now: () => number = Date.now): ReplayMemory {
  const until = new Map<string, number>();
  return {
    async firstTime(key, ttlSeconds) {
      const at = now();
      // Expired keys leave as new ones arrive, so the map never outgrows one window of traffic.
      for (const [known, expiry] of until) {
        if (expiry > at) break;
        until.delete(known);
      }
      const expiry = until.get(key);
      if (expiry !== undefined && expiry > at) return false;
      until.delete(key);
      until.set(key, at + ttlSeconds * 1000);
      return true;
    },
  };
}
