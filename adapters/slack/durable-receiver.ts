// Between Bolt's receiver and its App: each request that may change something is recorded
// (and claimed for this process) before Bolt sees it, so before anything acknowledges it,
// whether it came over HTTP or Socket Mode. Bolt acknowledges an event before its listeners
// run; a request recorded first is still there when the process dies after that.
import type { App, Context, Receiver, ReceiverEvent } from "@slack/bolt";
import type { InboundRunner } from "../../src/ports/inbound-runner.ts";
import { recordedBody, recordKey } from "./slack-event-key.ts";

/** A recorded request's handling, as its listener runs it (in context.inbound). */
export type InboundTurn = {
  /** True when the request is handled again after a crash or failure: no acknowledgement, no live trigger_id. */
  replay: boolean;
  run(work: () => Promise<void>): Promise<void>;
};

/** Runs a listener's work as its request's recorded handling, or as it is for requests not recorded. */
export function durably(context: Context, work: () => Promise<void>): Promise<void> {
  const turn = context.inbound as InboundTurn | undefined;
  return turn ? turn.run(work) : work();
}

export function isReplay(context: Context): boolean {
  return (context.inbound as InboundTurn | undefined)?.replay === true;
}

/**
 * The requests between their arrival at Bolt and their acknowledgement. Work that can wait
 * (the handling after an acknowledgement) waits for them: it shares the event loop with
 * them, and Slack gives each acknowledgement 3 seconds, the handling far longer.
 */
export type AckWatch = {
  /** Settles once no request waits for its acknowledgement, or after `maxMs` at the latest. */
  idle(maxMs: number): Promise<void>;
};

export function createAckWatch() {
  let waiting = 0;
  let idlers: (() => void)[] = [];
  const watch: AckWatch = {
    idle(maxMs) {
      if (waiting === 0) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(done, maxMs);
        function done() {
          clearTimeout(timer);
          idlers = idlers.filter((idler) => idler !== done);
          resolve();
        }
        idlers.push(done);
      });
    },
  };
  /** One request arrived; the function it returns marks it acknowledged (once). */
  const arrived = () => {
    waiting++;
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      waiting--;
      if (waiting > 0) return;
      const woken = idlers;
      idlers = [];
      for (const wake of woken) wake();
    };
  };
  return { watch, arrived };
}

/**
 * Puts the recording in front of `app`: receivers hand every request to `init`'s app, so
 * it is given one that records and then passes the request on. Returns how the runner
 * hands a recorded request to the listeners again, and the watch on acknowledgements.
 */
export function recordBeforeBolt(receiver: Receiver, app: App, runner: InboundRunner) {
  const acks = createAckWatch();
  const recording = {
    async processEvent(received: ReceiverEvent): Promise<void> {
      const acknowledged = acks.arrived();
      const event: ReceiverEvent = {
        ...received,
        ack: async (response) => {
          acknowledged();
          return received.ack(response);
        },
      };
      try {
        await record(event);
      } finally {
        acknowledged();
      }
    },
  };
  async function record(event: ReceiverEvent): Promise<void> {
    const key = recordKey(event.body);
    if (!key) return app.processEvent(event);
    const claim = await runner.receive(key, recordedBody(event.body));
    // Handled already, or being handled by a process that took it: a retry is acknowledged only.
    if (!claim) return void (await event.ack());
    let ran = false;
    const inbound: InboundTurn = {
      replay: false,
      run: (work) => {
        ran = true;
        return runner.run(claim, work);
      },
    };
    await app.processEvent({ ...event, customProperties: { ...event.customProperties, inbound } });
    // No listener took it (a bot's own message, say): it needs no handling.
    if (!ran) await runner.run(claim, async () => {});
  }
  receiver.init(recording as unknown as App);

  async function replay(payload: unknown): Promise<void> {
    let failure: unknown;
    const inbound: InboundTurn = {
      replay: true,
      async run(work) {
        try {
          await work();
        } catch (error) {
          failure = error;
          throw error;
        }
      },
    };
    // Bolt hands a listener's failure to app.error, not back here: kept aside to retry.
    await app.processEvent({
      body: payload as ReceiverEvent["body"],
      ack: async () => {},
      customProperties: { inbound },
    });
    if (failure) throw failure;
  }
  return { replay, acks: acks.watch };
}
