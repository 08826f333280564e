// A local stand-in for Slack's Web API (and response_url endpoints): records every call,
// answers the methods Leerlus uses, and can be told to fail the next call of a method.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** `at`: when the call arrived (Date.now()), to compare the gaps the sender left. */
export type SlackCall = { method: string; token: string | undefined; args: Record<string, unknown>; at: number };

export type Failure = { status: 429; retryAfter: number } | { status: 500 | 502 | 503 } | { error: string };

export type FakeSlackUser = {
  id: string;
  name: string;
  locale?: string;
  tz?: string;
  email?: string;
  isBot?: boolean;
  deleted?: boolean;
  /** Another workspace's person in a shared channel. */
  teamId?: string;
};

/** A channel as conversations.members / info / join see it. */
export type FakeSlackChannel = { members: string[]; isMember: boolean; isPrivate?: boolean };

export type FakeSlackApi = {
  /** For WebClient's slackApiUrl: http://127.0.0.1:<port>/api/ */
  apiUrl: string;
  base: string;
  calls: SlackCall[];
  callsTo(method: string): SlackCall[];
  /** A response_url for a payload; calls to it are recorded as method `respond`. */
  responseUrl(id: string): string;
  failNext(method: string, failure: Failure): void;
  /** The next `count` calls of `method` are recorded and never answered (a platform that hangs). */
  hold(method: string, count: number): void;
  /** Every call of `method` asks `rule` (after failNext's queue); a failure it returns is answered. */
  failWhen(method: string, rule: ((args: Record<string, unknown>) => Failure | undefined) | undefined): void;
  users: Map<string, FakeSlackUser>;
  channels: Map<string, FakeSlackChannel>;
  /** conversations.members pages at most this many, so cursors are exercised. */
  memberPageSize: number;
  team: { id: string; name: string };
  /** Who oauth.v2.access says installed the app (the person who pressed "Allow"). */
  installer: string;
  /** Where apps.connections.open sends a Socket Mode client. */
  socketUrl: string;
  close(): Promise<void>;
};

function parseArgs(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.includes("application/json")) return JSON.parse(raw) as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    // The WebClient form-encodes objects and arrays as JSON strings.
    args[key] = /^[[{]/.test(value) ? safeJson(value) : value;
  }
  return args;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function fakeChannel(id: string, channel: FakeSlackChannel) {
  const isPrivate = channel.isPrivate ?? false;
  return { id, is_channel: !isPrivate, is_group: isPrivate, is_private: isPrivate, is_member: channel.isMember };
}

export async function startFakeSlackApi(team = { id: "T0LEERLUS", name: "Gemeente Testdam" }): Promise<FakeSlackApi> {
  const calls: SlackCall[] = [];
  const failures = new Map<string, Failure[]>();
  const rules = new Map<string, (args: Record<string, unknown>) => Failure | undefined>();
  const holds = new Map<string, number>();
  const users = new Map<string, FakeSlackUser>();
  const channels = new Map<string, FakeSlackChannel>();
  let ts = 1_700_000_000;
  const nextTs = () => `${++ts}.000100`;

  function answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case "apps.connections.open":
        return { ok: true, url: api.socketUrl };
      case "auth.test":
        return {
          ok: true,
          team: team.name,
          team_id: team.id,
          user_id: "UBOTLEERLUS",
          bot_id: "BLEERLUS",
          url: "https://test.slack.com/",
        };
      case "chat.postMessage":
        return { ok: true, channel: args.channel, ts: nextTs(), message: { text: args.text } };
      case "chat.update":
        return { ok: true, channel: args.channel, ts: args.ts };
      case "chat.postEphemeral":
        return { ok: true, message_ts: nextTs() };
      case "views.open":
      case "views.publish":
      case "views.update":
        return { ok: true, view: { id: `V${ts++}`, ...(args.view as object) } };
      case "users.info": {
        const user = users.get(String(args.user));
        if (!user) return { ok: false, error: "user_not_found" };
        return {
          ok: true,
          user: {
            id: user.id,
            team_id: user.teamId ?? team.id,
            real_name: user.name,
            tz: user.tz ?? "Europe/Amsterdam",
            locale: user.locale ?? "nl-NL",
            is_bot: user.isBot ?? false,
            deleted: user.deleted ?? false,
            // Slack sends the email only to apps with users:read.email.
            profile: { display_name: user.name, ...(user.email ? { email: user.email } : {}) },
          },
        };
      }
      case "conversations.members": {
        const channel = channels.get(String(args.channel));
        if (!channel) return { ok: false, error: "channel_not_found" };
        if (channel.isPrivate && !channel.isMember) return { ok: false, error: "channel_not_found" };
        const start = Number(args.cursor ?? 0) || 0;
        const size = Math.min(Number(args.limit ?? 100) || 100, api.memberPageSize);
        const next = start + size < channel.members.length ? String(start + size) : "";
        return {
          ok: true,
          members: channel.members.slice(start, start + size),
          response_metadata: { next_cursor: next },
        };
      }
      case "conversations.info": {
        const id = String(args.channel);
        const channel = channels.get(id);
        if (!channel || (channel.isPrivate && !channel.isMember)) return { ok: false, error: "channel_not_found" };
        return { ok: true, channel: fakeChannel(id, channel) };
      }
      case "conversations.join": {
        const id = String(args.channel);
        const channel = channels.get(id);
        if (!channel) return { ok: false, error: "channel_not_found" };
        if (channel.isPrivate) return { ok: false, error: "method_not_supported_for_channel_type" };
        channel.isMember = true;
        return { ok: true, channel: fakeChannel(id, channel) };
      }
      case "conversations.open":
        return { ok: true, channel: { id: `D${String(args.users).slice(1)}` } };
      case "oauth.v2.access":
        return {
          ok: true,
          app_id: "ALEERLUS",
          access_token: "xoxb-installed-token",
          token_type: "bot",
          scope: "chat:write,commands",
          bot_user_id: "UBOTLEERLUS",
          team: { id: team.id, name: team.name },
          enterprise: null,
          is_enterprise_install: false,
          authed_user: { id: api.installer },
        };
      default:
        return { ok: false, error: "unknown_method" };
    }
  }

  const server: Server = createServer((request, response) => {
    let raw = "";
    request.on("data", (chunk) => {
      raw += chunk;
    });
    request.on("end", () => {
      const url = new URL(request.url ?? "/", "http://127.0.0.1");
      const respondMatch = /^\/respond\/(.+)$/.exec(url.pathname);
      const method = respondMatch ? "respond" : url.pathname.replace(/^\/api\//, "");
      const args = parseArgs(raw, request.headers["content-type"]);
      if (respondMatch) args.responseUrlId = respondMatch[1];
      const auth = request.headers.authorization;
      calls.push({ method, token: auth?.replace(/^Bearer /, ""), args, at: Date.now() });
      const holding = holds.get(method) ?? 0;
      if (holding > 0) {
        holds.set(method, holding - 1);
        return;
      }
      const failure = failures.get(method)?.shift() ?? rules.get(method)?.(args);
      if (failure && "status" in failure) {
        const limited = failure.status === 429;
        response.writeHead(failure.status, {
          "content-type": "application/json",
          ...(limited ? { "retry-after": String(failure.retryAfter) } : {}),
        });
        response.end(JSON.stringify({ ok: false, error: limited ? "ratelimited" : "internal_error" }));
        return;
      }
      const body = failure ? { ok: false, error: failure.error } : respondMatch ? { ok: true } : answer(method, args);
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    });
  });
  server.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const api: FakeSlackApi = {
    socketUrl: "ws://127.0.0.1:1/",
    apiUrl: `${base}/api/`,
    base,
    calls,
    callsTo: (method) => calls.filter((call) => call.method === method),
    responseUrl: (id) => `${base}/respond/${id}`,
    failNext(method, failure) {
      failures.set(method, [...(failures.get(method) ?? []), failure]);
    },
    hold(method, count) {
      holds.set(method, count);
    },
    failWhen(method, rule) {
      if (rule) rules.set(method, rule);
      else rules.delete(method);
    },
    users,
    channels,
    memberPageSize: 2,
    team,
    installer: "UINSTALLER",
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return api;
}
