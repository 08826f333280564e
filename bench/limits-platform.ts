// The bench's side of bench/limits-platform-stand-in.ts: starts it in its own process, and
// sends to it as Slack's and Teams' adapters would, with their own classification of errors.
import { fork } from "node:child_process";
import path from "node:path";
import { type Dispatcher, Pool } from "undici";
import { toDeliveryError as slackError } from "../adapters/slack/slack-errors.ts";
import { toDeliveryError as teamsError } from "../adapters/teams/delivery-errors.ts";
import type { ChatAdapter, SendOptions } from "../src/ports/chat-adapter.ts";
import type { LimitsStandInMessage } from "./limits-platform-stand-in.ts";

export type LimitsReport = Extract<LimitsStandInMessage, { type: "reported" }>;

export async function startLimitsPlatform() {
  const child = fork(path.join(import.meta.dirname, "limits-platform-stand-in.ts"), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let onReport: (report: LimitsReport) => void = () => {};
  const port = await new Promise<number>((resolve, reject) => {
    child.once("error", reject);
    child.on("message", (message: LimitsStandInMessage) => {
      if (message.type === "listening") resolve(message.port);
      if (message.type === "reported") onReport(message);
    });
  });
  return {
    port,
    /** The tenant answers 503 without Retry-After for `forMs` from now. */
    fail: (tenant: string, forMs: number) => child.send({ type: "fail", tenant, forMs } satisfies LimitsStandInMessage),
    report: () =>
      new Promise<LimitsReport>((resolve) => {
        onReport = resolve;
        child.send({ type: "report" } satisfies LimitsStandInMessage);
      }),
    close: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.disconnect();
      }),
  };
}

/** A conversation reference the stand-in understands: platform, tenant and conversation. */
export const limitsRef = (platform: "slack" | "teams", tenant: string, conversation: string) =>
  `${platform}|${tenant}|${conversation}`;

/**
 * A bench-only adapter for one platform: each message is one POST to the stand-in over
 * kept-alive connections; refusals become DeliveryErrors through the platform's own adapter
 * code (Slack's Web API error, Teams' connector error), so their classification is what runs.
 */
export function limitsAdapter(platform: "slack" | "teams", port: number): ChatAdapter {
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 32 });
  const refusal = (status: number, headers: Record<string, string>) =>
    platform === "slack"
      ? slackError(
          Object.assign(new Error(`HTTP ${status}`), { code: "slack_webapi_http_error", statusCode: status, headers }),
          "chat.postMessage",
        )
      : teamsError(
          Object.assign(new Error(`HTTP ${status}`), { statusCode: status, response: { status, headers } }),
          "send",
        );
  return {
    platform,
    async start() {},
    async stop() {},
    async send(conversationRef: string, _message, options?: SendOptions) {
      const [, tenant, conversation] = conversationRef.split("|");
      let res: Dispatcher.ResponseData;
      try {
        res = await pool.request({
          method: "POST",
          path: "/send",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ key: options?.idempotencyKey, platform, tenant, conversation }),
        });
      } catch (error) {
        // No answer at all: each platform's adapter takes it as a failure worth retrying.
        throw platform === "slack" ? slackError(error, "chat.postMessage") : teamsError(error, "send");
      }
      if (res.statusCode !== 200) {
        await res.body.dump();
        throw refusal(res.statusCode, res.headers as Record<string, string>);
      }
      return ((await res.body.json()) as { id: string }).id;
    },
    async update() {},
    async openDirect(userRef) {
      return limitsRef(platform, userRef.tenantId, userRef.platformUserId);
    },
  };
}
