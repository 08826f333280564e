// Slack and Teams as bench/delivery-limits.ts sees them, in a process of their own: each
// POST /send is one message to a workspace's or tenant's conversation. The stand-in keeps the
// platforms' published limits per workspace/tenant and per conversation (sliding windows of
// accepted sends) and answers 429 with Retry-After past them; one tenant answers 503 without
// Retry-After while it is failing. It counts every accepted message by outbox id.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

type Window = { count: number; windowMs: number };
type Limits = { tenant: Window[]; conversation: Window[] };

// Slack: one message a second per channel (https://docs.slack.dev/apis/web-api/rate-limits);
// its workspace-wide limit is not published, so the stand-in uses Leerlus's own budget (20/s).
// Teams: per bot per thread 7/1 s, 8/2 s, 60/30 s, 1800/3600 s, and 50 RPS per app per tenant
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/rate-limit).
export const PLATFORM_LIMITS: Record<"slack" | "teams", Limits> = {
  slack: { tenant: [{ count: 20, windowMs: 1_000 }], conversation: [{ count: 1, windowMs: 1_000 }] },
  teams: {
    tenant: [{ count: 50, windowMs: 1_000 }],
    conversation: [
      { count: 7, windowMs: 1_000 },
      { count: 8, windowMs: 2_000 },
      { count: 60, windowMs: 30_000 },
      { count: 1800, windowMs: 3_600_000 },
    ],
  },
};

export type LimitsStandInMessage =
  | { type: "listening"; port: number }
  | { type: "fail"; tenant: string; forMs: number }
  | { type: "report" }
  | {
      type: "reported";
      byKey: [string, number][];
      arrivals: [string, number[]][];
      refused: { limited: number; failing: number };
      /** When the failing tenant stopped failing (Date.now() of the stand-in's clock). */
      recoveredAt: number | undefined;
    };

const send = (message: LimitsStandInMessage) => process.send?.(message);
const byKey = new Map<string, number>();
const arrivals = new Map<string, number[]>();
const history = new Map<string, number[]>();
const refused = { limited: 0, failing: 0 };
let failing: { tenant: string; until: number } | undefined;
let recoveredAt: number | undefined;

/** Milliseconds until `times` admits one more under `windows`; 0 when it does now. */
function waitFor(times: number[], windows: Window[], now: number): number {
  let wait = 0;
  for (const window of windows) {
    const inside = times.filter((at) => at > now - window.windowMs);
    if (inside.length >= window.count) {
      const oldest = inside[inside.length - window.count] as number;
      wait = Math.max(wait, oldest + window.windowMs - now);
    }
  }
  return wait;
}

function answer(body: { key: string; platform: "slack" | "teams"; tenant: string; conversation: string }) {
  const now = Date.now();
  if (failing && failing.tenant === body.tenant) {
    if (now < failing.until) {
      refused.failing++;
      return { status: 503, headers: {} };
    }
    failing = undefined;
  }
  const limits = PLATFORM_LIMITS[body.platform];
  const tenantKey = `${body.platform}:${body.tenant}`;
  const conversationKey = `${tenantKey}:${body.conversation}`;
  const tenantTimes = history.get(tenantKey) ?? [];
  const conversationTimes = history.get(conversationKey) ?? [];
  const wait = Math.max(waitFor(tenantTimes, limits.tenant, now), waitFor(conversationTimes, limits.conversation, now));
  if (wait > 0) {
    refused.limited++;
    return { status: 429, headers: { "retry-after": String(Math.max(1, Math.ceil(wait / 1000))) } };
  }
  tenantTimes.push(now);
  conversationTimes.push(now);
  // Only the longest window's worth is kept.
  history.set(tenantKey, tenantTimes.slice(-60));
  history.set(conversationKey, conversationTimes.slice(-1800));
  byKey.set(body.key, (byKey.get(body.key) ?? 0) + 1);
  const seen = arrivals.get(tenantKey) ?? [];
  seen.push(now);
  arrivals.set(tenantKey, seen);
  return { status: 200, headers: {} };
}

const server = createServer((request, response) => {
  let raw = "";
  request.setEncoding("utf8");
  request.on("data", (chunk: string) => {
    raw += chunk;
  });
  request.on("end", () => {
    if (request.method !== "POST" || request.url !== "/send") {
      response.writeHead(404).end();
      return;
    }
    const { status, headers } = answer(JSON.parse(raw));
    response.writeHead(status, { "content-type": "application/json", ...headers });
    response.end(status === 200 ? `{"id":"m${byKey.size}"}` : "{}");
  });
});

process.on("message", (message: LimitsStandInMessage) => {
  if (message.type === "fail") {
    failing = { tenant: message.tenant, until: Date.now() + message.forMs };
    recoveredAt = failing.until;
  }
  if (message.type === "report") {
    send({
      type: "reported",
      byKey: [...byKey],
      arrivals: [...arrivals],
      refused,
      recoveredAt,
    });
  }
});
process.on("disconnect", () => process.exit(0));

server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => send({ type: "listening", port: (server.address() as AddressInfo).port }));
