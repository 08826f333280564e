// The request an HTTP handler is working for, carried through its awaits, so every log
// line written while handling it names its request id (see logger.ts) without each
// adapter passing the id along.
import { AsyncLocalStorage } from "node:async_hooks";

const context = new AsyncLocalStorage<{ requestId: string }>();

/** Runs `work` (and everything it starts) as part of the request `requestId`. */
export function withRequestId<T>(requestId: string, work: () => T): T {
  return context.run({ requestId }, work);
}

/** The id of the request being handled here, if any. */
export function currentRequestId(): string | undefined {
  return context.getStore()?.requestId;
}
