// Microsoft's side of Teams, on 127.0.0.1: an OpenID issuer whose JWKS key signs the channel's
// tokens, and a Bot Connector that records what the bot sends and can refuse on demand.
// botbuilder's real CloudAdapter talks to both (see shared/PLATFORM.md).
import { createSign, generateKeyPairSync, type KeyObject, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { TeamsEndpoints } from "../../adapters/teams/teams-config.ts";

export const BOT_FRAMEWORK_ISSUER = "https://api.botframework.com";
export const OUTBOUND_TOKEN = "fake-outbound-token";

export type ConnectorCall = {
  kind: "send" | "reply" | "update" | "create";
  conversationId: string;
  activityId?: string;
  // biome-ignore lint/suspicious/noExplicitAny: recorded JSON as the bot sent it
  body: any;
  authorization: string | undefined;
};

export type Refusal = { status: number; retryAfterSeconds?: number };

/** A call to a conversation's activities, answered or refused, and when it arrived (Date.now()). */
export type ConnectorAttempt = { conversationId: string; at: number; status: number };

/** A member of a team's roster, as GET /v3/conversations/{id}/pagedmembers returns them. */
export type RosterMember = {
  id: string;
  name?: string;
  aadObjectId?: string;
  email?: string;
  userPrincipalName?: string;
  tenantId?: string;
  userRole?: string;
};

export type FakeBotFramework = {
  url: string;
  /** The connector as activities' serviceUrl. */
  serviceUrl: string;
  endpoints: TeamsEndpoints;
  calls: ConnectorCall[];
  /** Rosters by conversation (a team's channel lists the team's members). */
  rosters: Map<string, RosterMember[]>;
  /** The roster is paged at most this many a page, so continuation tokens are exercised. */
  rosterPageSize: number;
  /** How many roster pages were asked for. */
  rosterReads: number;
  /** Cards the bot sent, replied, updated or answered an invoke with. */
  cards(): unknown[];
  /** Every call to a conversation's activities, refused ones included. */
  attempts: ConnectorAttempt[];
  /** The next connector call answers this status (and Retry-After) instead. */
  refuseNext(refusal: Refusal): void;
  /** Each call to a conversation asks `rule` (after refuseNext's queue); a refusal it returns is answered. */
  refuseWhen(rule: ((conversationId: string) => Refusal | undefined) | undefined): void;
  /** A signed channel token; `overrides` change or remove (undefined) claims. */
  token(input: { appId: string; serviceUrl?: string; overrides?: Record<string, unknown>; key?: KeyObject }): string;
  /** A key the issuer does not publish, to sign forged tokens. */
  strangerKey: KeyObject;
  close(): Promise<void>;
};

export async function startFakeBotFramework(): Promise<FakeBotFramework> {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const stranger = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  const kid = `test-${randomBytes(4).toString("hex")}`;
  const calls: ConnectorCall[] = [];
  const refusals: Refusal[] = [];
  const attempts: ConnectorAttempt[] = [];
  let rule: ((conversationId: string) => Refusal | undefined) | undefined;
  let base = "";
  let counter = 0;

  const server: Server = createServer((request, response) => {
    void handle(request, response).catch((error: Error) => {
      response.writeHead(500).end(error.message);
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", base);
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
    };
    if (request.method === "GET" && url.pathname === "/.well-known/openid-configuration") {
      return json(200, {
        issuer: BOT_FRAMEWORK_ISSUER,
        jwks_uri: `${base}/keys`,
        id_token_signing_alg_values_supported: ["RS256"],
      });
    }
    if (request.method === "GET" && url.pathname === "/keys") {
      const jwk = publicKey.export({ format: "jwk" });
      return json(200, { keys: [{ ...jwk, kid, use: "sig", alg: "RS256", endorsements: ["msteams"] }] });
    }
    if (url.pathname === "/login") return json(200, { access_token: OUTBOUND_TOKEN, expires_in: 3600 });
    const roster = /^\/connector\/v3\/conversations\/([^/]+)\/pagedmembers\/?$/.exec(url.pathname);
    if (roster && request.method === "GET") {
      fake.rosterReads++;
      const members = fake.rosters.get(decodeURIComponent(roster[1] ?? ""));
      if (!members) return json(404, { error: { code: "ConversationNotFound", message: "no such conversation" } });
      const start = Number(url.searchParams.get("continuationToken") ?? 0) || 0;
      const size = Math.min(Number(url.searchParams.get("pageSize") ?? 200) || 200, fake.rosterPageSize);
      const next = start + size < members.length ? String(start + size) : undefined;
      return json(200, { members: members.slice(start, start + size), ...(next ? { continuationToken: next } : {}) });
    }
    const match = /^\/connector\/v3\/conversations(?:\/([^/]+)\/activities(?:\/([^/]+))?)?\/?$/.exec(url.pathname);
    if (!match) return json(404, { error: { code: "NotFound", message: url.pathname } });
    const body = await readJson(request);
    const target = match[1] ? decodeURIComponent(match[1]) : "";
    const refusal = refusals.shift() ?? (target ? rule?.(target) : undefined);
    if (target) attempts.push({ conversationId: target, at: Date.now(), status: refusal?.status ?? 200 });
    if (refusal) {
      return json(
        refusal.status,
        { error: { code: "Refused", message: `refused with ${refusal.status}` } },
        refusal.retryAfterSeconds === undefined ? {} : { "retry-after": String(refusal.retryAfterSeconds) },
      );
    }
    const [, rawConversation, rawActivity] = match;
    const conversationId = rawConversation ? decodeURIComponent(rawConversation) : "";
    const activityId = rawActivity ? decodeURIComponent(rawActivity) : undefined;
    const authorization = request.headers.authorization;
    if (!rawConversation && request.method === "POST") {
      const member = (body as { members?: { id: string }[] }).members?.[0]?.id ?? "nobody";
      calls.push({ kind: "create", conversationId: `a:dm-${member}`, body, authorization });
      return json(201, { id: `a:dm-${member}` });
    }
    if (request.method === "PUT" && activityId) {
      calls.push({ kind: "update", conversationId, activityId, body, authorization });
      return json(200, { id: activityId });
    }
    if (request.method === "POST") {
      const id = `act-${++counter}`;
      calls.push({ kind: activityId ? "reply" : "send", conversationId, activityId: id, body, authorization });
      return json(201, { id });
    }
    return json(405, { error: { code: "MethodNotAllowed", message: request.method } });
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fake: FakeBotFramework = {
    url: base,
    serviceUrl: `${base}/connector/`,
    endpoints: {
      openIdMetadataUrl: `${base}/.well-known/openid-configuration`,
      tokenIssuer: BOT_FRAMEWORK_ISSUER,
      loginUrl: `${base}/login`,
      oauthUrl: `${base}/oauth`,
      oauthScope: BOT_FRAMEWORK_ISSUER,
    },
    calls,
    rosters: new Map(),
    rosterPageSize: 2,
    rosterReads: 0,
    cards() {
      return calls.flatMap((call) =>
        ((call.body?.attachments ?? []) as { contentType: string; content: unknown }[])
          .filter((attachment) => attachment.contentType === "application/vnd.microsoft.card.adaptive")
          .map((attachment) => attachment.content),
      );
    },
    attempts,
    refuseNext(refusal) {
      refusals.push(refusal);
    },
    refuseWhen(next) {
      rule = next;
    },
    token({ appId, serviceUrl, overrides = {}, key }) {
      const now = Math.floor(Date.now() / 1000);
      const claims: Record<string, unknown> = {
        iss: BOT_FRAMEWORK_ISSUER,
        aud: appId,
        serviceurl: serviceUrl ?? `${base}/connector/`,
        nbf: now - 60,
        iat: now - 60,
        exp: now + 3600,
        ...overrides,
      };
      for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name];
      return signJwt(claims, key ?? privateKey, kid);
    },
    strangerKey: stranger,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

function signJwt(claims: Record<string, unknown>, key: KeyObject, kid: string): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${encode({ alg: "RS256", typ: "JWT", kid })}.${encode(claims)}`;
  const signature = createSign("RSA-SHA256").update(unsigned).sign(key).toString("base64url");
  return `${unsigned}.${signature}`;
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? JSON.parse(text) : {};
}
