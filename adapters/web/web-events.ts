// Server-sent events for the web chat. One notifier subscription per process
// fans out to the open browser connections; each connection remembers what it has
// sent so an update to an older message is pushed again while nothing is duplicated
// needlessly. The SSE id is the highest seq sent: on reconnect the browser's
// Last-Event-ID lets us resend everything newer.
import type { Request, Response } from "express";
import type { Logger } from "../../src/ports/logger.ts";
import type { ConversationNotifier, StoredWebMessage, WebMessageStore } from "../../src/ports/web-message-store.ts";
import type { Viewer } from "./web-config.ts";

const HEARTBEAT_MS = 25_000;
const RECENT_PER_SIGNAL = 20;
const RESEND_LIMIT = 200;
const REMEMBERED_MAX = 2_000;
// For a message older than the baseline: clocks of the writing and serving processes
// may differ a little; a few seconds of overlap only causes a harmless resend.
const CLOCK_SLACK_MS = 5_000;

type Connection = {
  viewer: Viewer;
  refs: Set<string>;
  response: Response;
  cursor: bigint;
  connectedAtMs: number;
  sent: Map<string, number>;
  queue: Promise<void>;
};

export type EventHub = {
  open(request: Request, response: Response, viewer: Viewer, refs: string[]): Promise<void>;
  close(): Promise<void>;
};

export function createEventHub(deps: {
  store: WebMessageStore;
  notifier: ConversationNotifier;
  render: (viewer: Viewer, stored: StoredWebMessage) => string;
  logger: Logger;
}): EventHub {
  const connections = new Set<Connection>();
  let unsubscribe: Promise<() => Promise<void>> | undefined;

  function onSignal(conversationRef: string): void {
    for (const connection of connections) {
      if (connection.refs.has(conversationRef)) enqueue(connection, () => pushRecent(connection, conversationRef));
    }
  }

  function ensureSubscribed(): Promise<() => Promise<void>> {
    if (!unsubscribe) {
      unsubscribe = deps.notifier.subscribe(onSignal);
      unsubscribe.catch(() => {
        unsubscribe = undefined;
      });
    }
    return unsubscribe;
  }

  function enqueue(connection: Connection, work: () => Promise<void>): void {
    // Serialised per connection so the cursor only moves forward and events keep their order.
    connection.queue = connection.queue.then(work).catch((error: unknown) => {
      deps.logger.warn({ code: "WEB_EVENTS_PUSH_FAILED", error: errorName(error) }, "could not push web messages");
    });
  }

  async function pushRecent(connection: Connection, conversationRef: string): Promise<void> {
    const recent = await deps.store.list([conversationRef], connection.viewer.id, { limit: RECENT_PER_SIGNAL });
    for (const stored of recent) {
      const known = connection.sent.get(stored.id);
      const updatedAt = stored.updatedAt.getTime();
      const fresh =
        known === undefined
          ? BigInt(stored.seq) > connection.cursor || updatedAt >= connection.connectedAtMs - CLOCK_SLACK_MS
          : updatedAt > known;
      if (fresh) write(connection, stored);
    }
  }

  function remember(connection: Connection, stored: StoredWebMessage): void {
    const seq = BigInt(stored.seq);
    if (seq > connection.cursor) connection.cursor = seq;
    connection.sent.set(stored.id, stored.updatedAt.getTime());
    if (connection.sent.size > REMEMBERED_MAX) {
      const oldest = connection.sent.keys().next().value;
      if (oldest !== undefined) connection.sent.delete(oldest);
    }
  }

  function write(connection: Connection, stored: StoredWebMessage): void {
    remember(connection, stored);
    const data = {
      conversationRef: stored.conversationRef,
      id: stored.id,
      seq: stored.seq,
      html: deps.render(connection.viewer, stored),
    };
    send(connection.response, `id: ${connection.cursor}\nevent: web-message\ndata: ${JSON.stringify(data)}\n\n`);
  }

  return {
    async open(request, response, viewer, refs) {
      try {
        await ensureSubscribed();
      } catch (error) {
        deps.logger.error({ code: "WEB_EVENTS_UNAVAILABLE", error: errorName(error) }, "cannot subscribe to notifier");
        response
          .status(503)
          .json({ error: { code: "LIVE_UPDATES_UNAVAILABLE", message: "Live updates are unavailable" } });
        return;
      }
      const lastEventId = request.get("Last-Event-ID");
      const resumeFrom = lastEventId !== undefined && /^\d{1,19}$/.test(lastEventId) ? lastEventId : undefined;

      response.writeHead(200, {
        "Content-Type": "text/event-stream; charset=utf-8",
        "Cache-Control": "no-cache, no-transform",
        Connection: "keep-alive",
        // Proxies such as nginx would otherwise buffer the stream.
        "X-Accel-Buffering": "no",
      });
      response.flushHeaders();
      send(response, "retry: 3000\n\n");

      const connection: Connection = {
        viewer,
        refs: new Set(refs),
        response,
        cursor: 0n,
        connectedAtMs: Date.now(),
        sent: new Map(),
        queue: Promise.resolve(),
      };
      connections.add(connection);
      const heartbeat = setInterval(() => send(response, ": heartbeat\n\n"), HEARTBEAT_MS);
      heartbeat.unref();
      request.on("close", () => {
        clearInterval(heartbeat);
        connections.delete(connection);
      });

      // Runs first in the queue, so signals that arrive meanwhile wait for the cursor.
      enqueue(connection, async () => {
        // The recent messages are the baseline: later signals push only what is newer or changed.
        const recent = await deps.store.list(refs, viewer.id, { limit: RESEND_LIMIT });
        const resumeSeq = resumeFrom === undefined ? undefined : BigInt(resumeFrom);
        if (resumeSeq !== undefined) connection.cursor = resumeSeq;
        for (const stored of recent) {
          if (resumeSeq !== undefined && BigInt(stored.seq) > resumeSeq) {
            write(connection, stored);
          } else {
            remember(connection, stored);
          }
        }
        // Gives the browser a Last-Event-ID even before any message arrives.
        send(response, `id: ${connection.cursor}\nevent: ready\ndata: {}\n\n`);
      });
    },

    async close() {
      const pending = unsubscribe;
      unsubscribe = undefined;
      for (const connection of connections) connection.response.end();
      connections.clear();
      if (pending) await (await pending.catch(() => async () => {}))();
    },
  };
}

function send(response: Response, chunk: string): void {
  if (!response.writableEnded && !response.destroyed) response.write(chunk);
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
