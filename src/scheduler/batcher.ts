export type Batcher<T> = { add(item: T): Promise<void> };

/**
 * Gathers items added within `waitMs` of each other (up to `maxSize`) into one call of
 * `run`; each caller's promise settles with its batch. A batch that fails is run again
 * item by item, so one bad item fails alone and holds up no one else; an item that failed
 * alone keeps running alone until it succeeds, so it cannot fail a batch every time.
 */
export function createBatcher<T>(
  run: (items: T[]) => Promise<void>,
  options: { maxSize: number; waitMs: number },
): Batcher<T> {
  type Waiting = { item: T; resolve: () => void; reject: (error: unknown) => void };
  let waiting: Waiting[] = [];
  let timer: NodeJS.Timeout | undefined;
  const failing = new Set<T>();

  async function settle(batch: Waiting[]): Promise<void> {
    try {
      await run(batch.map((entry) => entry.item));
      for (const entry of batch) {
        failing.delete(entry.item);
        entry.resolve();
      }
    } catch (error) {
      if (batch.length === 1) {
        const [entry] = batch as [Waiting];
        failing.add(entry.item);
        entry.reject(error);
        return;
      }
      for (const entry of batch) await settle([entry]);
    }
  }

  function flush(): void {
    clearTimeout(timer);
    timer = undefined;
    const batch = waiting;
    waiting = [];
    if (batch.length > 0) void settle(batch);
  }

  return {
    add(item) {
      return new Promise<void>((resolve, reject) => {
        if (failing.has(item)) {
          void settle([{ item, resolve, reject }]);
          return;
        }
        waiting.push({ item, resolve, reject });
        if (waiting.length >= options.maxSize) flush();
        else timer ??= setTimeout(flush, options.waitMs);
      });
    },
  };
}
