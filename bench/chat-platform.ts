// The bench's side of the chat platform's stand-in (bench/chat-platform-stand-in.ts): starts
// it in its own process, as the real platform is, and sends to it as an adapter would.
import { fork } from "node:child_process";
import path from "node:path";
import { type Dispatcher, Pool } from "undici";
import type { Message } from "../src/domain/message.ts";
import { type ChatAdapter, DeliveryError, type SendOptions } from "../src/ports/chat-adapter.ts";
import type { StandInMessage } from "./chat-platform-stand-in.ts";

export type Platform = Awaited<ReturnType<typeof startPlatform>>;

/** Starts the chat platform's stand-in in its own process; resolves once it listens. */
export async function startPlatform() {
  const child = fork(path.join(import.meta.dirname, "chat-platform-stand-in.ts"), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let prompts = 0;
  let onReached: () => void = () => {};
  let onReport: (report: Extract<StandInMessage, { type: "report" }>) => void = () => {};
  const port = await new Promise<number>((resolve, reject) => {
    child.once("error", reject);
    child.on("message", (message: StandInMessage) => {
      if (message.type === "listening") resolve(message.port);
      if (message.type === "progress") prompts = message.prompts;
      if (message.type === "reached") {
        prompts = Math.max(prompts, message.prompts);
        onReached();
      }
      if (message.type === "report") onReport(message);
    });
  });
  return {
    port,
    prompts: () => prompts,
    /** Resolves the moment the platform has received `count` prompts in all. */
    reached: (count: number) =>
      new Promise<void>((resolve) => {
        onReached = resolve;
        child.send({ type: "notify", prompts: count });
      }),
    report: () =>
      new Promise<{ byKey: Map<string, number>; byConversation: Map<string, number> }>((resolve) => {
        onReport = (report) =>
          resolve({ byKey: new Map(report.byKey), byConversation: new Map(report.byConversation) });
        child.send({ type: "report" });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.send({ type: "close" });
      }),
  };
}

/**
 * A bench-only ChatAdapter: every message is one HTTP POST to the stand-in platform, over
 * kept-alive connections as Slack's and Teams' SDK clients use. The client is undici's pool
 * (the one behind Node's fetch): node:http's took about twice the CPU per request, 60–90 µs
 * against 30–40, and the bench measures Leerlus's pipeline, not an HTTP client.
 */
export function httpAdapter(port: number): ChatAdapter {
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 64 });
  const post = async (payload: object) => {
    let res: Dispatcher.ResponseData;
    try {
      res = await pool.request({
        method: "POST",
        path: "/send",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(payload),
      });
    } catch (error) {
      throw new DeliveryError((error as Error).message, { retryable: true, cause: error });
    }
    if (res.statusCode !== 200) {
      await res.body.dump();
      throw new DeliveryError(`HTTP ${res.statusCode}`, { retryable: true });
    }
    return ((await res.body.json()) as { ts: string }).ts;
  };
  return {
    platform: "web",
    async start() {},
    async stop() {},
    send: (conversationRef: string, message: Message, options?: SendOptions) =>
      post({ key: options?.idempotencyKey, conversationRef, text: message.fallback }),
    async update() {},
    async openDirect(userRef) {
      return `web:dm:${userRef.platformUserId}`;
    },
  };
}
