// Issue #18, point 6: the edges of the three inbound protocols. Real Bolt behind the real HTTP
// app with signed requests, real botbuilder against the local issuer, the real web API.
import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SlackAdapter } from "../../adapters/slack/create-slack-adapter.ts";
import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import { DEMO_IDS } from "../../src/persistence/demo-seed.ts";
import { silentLogger } from "../../src/ports/logger.ts";
import { createHttpApp } from "../../src/runtime/http-app.ts";
import { createRedisConnection } from "../../src/scheduler/redis-connection.ts";
import { createRedisReplayMemory } from "../../src/scheduler/redis-replay-memory.ts";
import { type FakeBotFramework, startFakeBotFramework } from "../support/fake-bot-framework.ts";
import { type FakeSlackApi, startFakeSlackApi } from "../support/fake-slack-api.ts";
import { countWhere } from "../support/fixtures.ts";
import {
  eventBody,
  FORM,
  interactiveBody,
  JSON_TYPE,
  signedHeaders,
  slashCommandBody,
} from "../support/slack-requests.ts";
import { createTestSlackAdapter } from "../support/slack-test-adapter.ts";
import {
  APP_ID,
  messageActivity,
  personalConversation,
  postActivity,
  startTeamsServer,
  type TeamsPerson,
  type TeamsServer,
  teamsConfig,
} from "../support/teams-activities.ts";
import { REDIS_URL } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";
import { startWebApp, type WebApp } from "../support/web-app.ts";

const SECRET = "test-signing-secret";
const TEAM = "T0LEERLUS";
const USER = "UREPLAY01";
const CHANNEL = "C0TEAM";

type Served = { server: Server; base: string };

async function serve(routers: { routers?: SlackAdapter["router"][]; rawRouters?: SlackAdapter["router"][] }) {
  const app = createHttpApp({ routers: [], ...routers, readiness: [], metrics: async () => "", logger: silentLogger });
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function stop(served: Served | undefined): Promise<void> {
  if (!served) return;
  served.server.closeAllConnections();
  await new Promise<void>((resolve) => served.server.close(() => resolve()));
}

/** A reply is a 4xx with a JSON code and message, and never shows a stack trace. */
async function expectClearRefusal(response: Response, status?: number): Promise<void> {
  const text = await response.text();
  if (status) expect(response.status).toBe(status);
  expect(response.status).toBeGreaterThanOrEqual(400);
  expect(response.status).toBeLessThan(500);
  expect(text).not.toMatch(/\bat .+:\d+:\d+|Error:|node_modules/);
  const body = JSON.parse(text) as { error: { code: string; message: string } };
  expect(body.error.code).toMatch(/^[A-Z_]+$/);
  expect(body.error.message.length).toBeGreaterThan(10);
}

describe("Slack: a signed request replayed within the five minutes is acted on once", () => {
  let fake: FakeSlackApi;
  let slack: SlackAdapter;
  let served: Served;
  let database: TestDatabase;
  const received: InboundEvent[] = [];
  let seq = 0;

  beforeAll(async () => {
    fake = await startFakeSlackApi({ id: TEAM, name: "Gemeente Testdam" });
    fake.users.set(USER, { id: USER, name: "Replay Tester", locale: "nl-NL" });
    database = await createTestDatabase();
    slack = createTestSlackAdapter(fake, database.db);
    await slack.adapter.start(async (event) => {
      received.push(event);
      return [];
    });
    served = await serve({ rawRouters: [slack.router] });
  });

  afterAll(async () => {
    await stop(served);
    await slack?.adapter.stop();
    await fake?.close();
    await database?.drop();
  });

  const send = (body: string, _type: string, headers: Record<string, string>) =>
    fetch(`${served.base}/slack/events`, { method: "POST", headers, body });
  const seen = (predicate: (event: InboundEvent) => boolean) => received.filter(predicate).length;
  const command = (text: string) =>
    slashCommandBody({ teamId: TEAM, userId: USER, channelId: CHANNEL, text, responseUrl: fake.responseUrl("r") });
  /** Later fresh commands have passed through the same background line as the replay. */
  async function settle(): Promise<void> {
    for (let round = 0; round < 2; round++) {
      const marker = `lessons marker-${++seq}`;
      expect((await send(command(marker), FORM, signedHeaders(command(marker), FORM, { secret: SECRET }))).status).toBe(
        200,
      );
      await expect.poll(() => seen((event) => event.type === "command" && event.text === marker)).toBe(1);
    }
  }

  it.each([
    ["a slash command", () => ({ body: command(`retro now ${++seq}`), type: FORM })],
    [
      "a button press",
      () => ({
        body: interactiveBody({
          type: "block_actions",
          team: { id: TEAM },
          user: { id: USER },
          trigger_id: "1.2.3",
          channel: { id: `D${++seq}` },
          actions: [{ type: "button", action_id: "lessons.more", value: `v${seq}`, block_id: "b" }],
        }),
        type: FORM,
      }),
    ],
    [
      "an event",
      () => ({
        body: eventBody({
          teamId: TEAM,
          eventId: `EvReplay${++seq}`,
          event: { type: "message", channel_type: "im", channel: "D0DM", user: USER, text: `hallo ${seq}`, ts: "1.1" },
        }),
        type: JSON_TYPE,
      }),
    ],
  ])("%s: the copy gets 200 and reaches the core no second time", async (_name, build) => {
    const { body, type } = build();
    const headers = signedHeaders(body, type, { secret: SECRET });
    const before = received.length;
    expect((await send(body, type, headers)).status).toBe(200);
    await expect.poll(() => received.length - before).toBeGreaterThan(0);
    const firstCount = received.filter((event) => event.type !== "memberJoined").length;
    const replay = await send(body, type, headers);
    expect(replay.status).toBe(200);
    await settle();
    // Only the two markers came after the first delivery: the replay added nothing.
    expect(received.filter((event) => event.type !== "memberJoined").length).toBe(firstCount + 2);
  });

  it("two serve processes sharing Redis act on a request once between them", async () => {
    const connection = createRedisConnection(REDIS_URL);
    const prefix = `replay-test-${randomBytes(4).toString("hex")}`;
    const other = createTestSlackAdapter(fake, database.db, {
      replayMemory: createRedisReplayMemory(connection, prefix),
    });
    const first = createTestSlackAdapter(fake, database.db, {
      replayMemory: createRedisReplayMemory(connection, prefix),
    });
    const both: InboundEvent[] = [];
    const record = async (event: InboundEvent) => {
      both.push(event);
      return [];
    };
    await first.adapter.start(record);
    await other.adapter.start(record);
    const servedFirst = await serve({ rawRouters: [first.router] });
    const servedOther = await serve({ rawRouters: [other.router] });
    try {
      const body = command(`retro now shared-${++seq}`);
      const headers = signedHeaders(body, FORM, { secret: SECRET });
      const answers = await Promise.all(
        [servedFirst, servedOther].map((target) =>
          fetch(`${target.base}/slack/events`, { method: "POST", headers, body }),
        ),
      );
      expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
      await expect.poll(() => both.filter((event) => event.type === "command").length).toBe(1);
      // A later, different request to the second process shows it has caught up.
      const later = command(`lessons shared-${++seq}`);
      await fetch(`${servedOther.base}/slack/events`, {
        method: "POST",
        headers: signedHeaders(later, FORM, { secret: SECRET }),
        body: later,
      });
      await expect.poll(() => both.filter((event) => event.type === "command").length).toBe(2);
    } finally {
      await stop(servedFirst);
      await stop(servedOther);
      await first.adapter.stop();
      await other.adapter.stop();
      connection.disconnect();
    }
  });

  const slashWithout = (field: string) => {
    const params = new URLSearchParams(command("help"));
    params.delete(field);
    return params.toString();
  };
  const interactive = (payload: string) => `payload=${encodeURIComponent(payload)}`;
  const button = (user: unknown, value: unknown = "v") =>
    JSON.stringify({
      type: "block_actions",
      team: { id: TEAM },
      user,
      trigger_id: "1.2.3",
      actions: [{ type: "button", action_id: "lessons.more", value, block_id: "b" }],
    });

  it.each([
    ["payload=null", () => "payload=null", FORM, 400],
    ["payload= empty", () => "payload=", FORM, 400],
    ["payload= invalid JSON", () => interactive("{not json"), FORM, 400],
    ["payload= a JSON array", () => interactive("[1,2]"), FORM, 400],
    ["payload without a type", () => interactive(JSON.stringify({ user: { id: USER } })), FORM, 400],
    ["a button press without a user", () => interactive(button(undefined)), FORM, 400],
    [
      "a button press whose user id is a huge number",
      () => interactive(button({ id: "HUGE" }).replace('"HUGE"', "1e400")),
      FORM,
      400,
    ],
    ["a button value with a lone surrogate", () => interactive(button({ id: USER }, "\ud800")), FORM, 400],
    ["a slash command without a user", () => slashWithout("user_id"), FORM, 400],
    ["a slash command without a team", () => slashWithout("team_id"), FORM, 400],
    ["a JSON body of null", () => "null", JSON_TYPE, 400],
    ["a JSON body that is not JSON", () => "{nope", JSON_TYPE, 400],
    [
      "an event whose user is a huge number",
      () =>
        eventBody({
          teamId: TEAM,
          eventId: `EvHuge${++seq}`,
          event: { type: "message", channel_type: "im", channel: "D0DM", user: "HUGE", text: "x", ts: "1.1" },
        }).replace('"user":"HUGE"', '"user":1e400'),
      JSON_TYPE,
      400,
    ],
    [
      "an event text with a lone surrogate",
      () =>
        eventBody({
          teamId: TEAM,
          eventId: `EvSur${++seq}`,
          event: { type: "message", channel_type: "im", channel: "D0DM", user: USER, text: "\ud800", ts: "1.1" },
        }),
      JSON_TYPE,
      400,
    ],
    ["an oversized body (2 MB)", () => `payload=${"x".repeat(2 * 1024 * 1024)}`, FORM, 413],
  ])("%s gets a clear %s and nothing reaches the core", async (_name, build, type, status) => {
    const body = build();
    const before = received.length;
    const response = await send(body, type, signedHeaders(body, type, { secret: SECRET }));
    await expectClearRefusal(response, status);
    await settle();
    expect(received.slice(before).filter((event) => !(event.type === "command" && /marker/.test(event.text)))).toEqual(
      [],
    );
  });

  it.each([
    ["no signature", () => ({ "content-type": FORM })],
    ["a wrong signature", (body: string) => signedHeaders(body, FORM, { secret: "not-the-secret" })],
    [
      "a timestamp older than five minutes",
      (body: string) => signedHeaders(body, FORM, { secret: SECRET, timestamp: Math.floor(Date.now() / 1000) - 600 }),
    ],
    [
      "a timestamp more than five minutes ahead",
      (body: string) => signedHeaders(body, FORM, { secret: SECRET, timestamp: Math.floor(Date.now() / 1000) + 600 }),
    ],
  ])("a request with %s gets a clear 401", async (_name, headers) => {
    const body = command("help");
    await expectClearRefusal(await send(body, FORM, headers(body)), 401);
  });
});

describe("Teams: protocol edges", () => {
  let fake: FakeBotFramework;
  let server: TeamsServer;
  let database: TestDatabase;
  const received: InboundEvent[] = [];
  const person: TeamsPerson = { aadObjectId: "aad-edges", name: "Edge Tester", tenantId: "tenant-edges" };

  beforeAll(async () => {
    fake = await startFakeBotFramework();
    database = await createTestDatabase();
    server = await startTeamsServer(teamsConfig(fake, database.db));
    await server.teams.adapter.start(async (event) => {
      received.push(event);
      return [];
    });
  });

  afterAll(async () => {
    await server?.teams.adapter.stop();
    await server?.close();
    await fake?.close();
    await database?.drop();
  });

  const activity = () => messageActivity(fake, person, personalConversation(person), "help");
  const token = () => fake.token({ appId: APP_ID });

  it("refuses a token signed by the issuer that has no expiry", async () => {
    received.length = 0;
    const response = await postActivity(
      server.url,
      activity(),
      fake.token({ appId: APP_ID, overrides: { exp: undefined } }),
    );
    expect(response.status).toBe(401);
    expect(received).toEqual([]);
  });

  it("refuses a token whose expiry is not a number", async () => {
    received.length = 0;
    const response = await postActivity(
      server.url,
      activity(),
      fake.token({ appId: APP_ID, overrides: { exp: "never" } }),
    );
    expect(response.status).toBe(401);
    expect(received).toEqual([]);
  });

  it("still accepts a token with an expiry", async () => {
    received.length = 0;
    expect((await postActivity(server.url, activity(), token())).status).toBe(200);
    expect(received.map((event) => event.type)).toContain("command");
  });

  it.each([
    ["a body that is not JSON", () => "{nope", 400],
    ["a JSON body of null", () => "null", 400],
    ["a JSON array", () => "[]", 400],
    ["an activity without a sender", () => ({ ...activity(), from: undefined }), 400],
    [
      "an activity whose sender id is a huge number",
      () => JSON.stringify({ ...activity(), from: { id: "X" } }).replace('"id":"X"', '"id":1e400'),
      400,
    ],
    ["a text with a lone surrogate", () => ({ ...activity(), text: "help \ud800" }), 400],
    ["an oversized body (2 MB)", () => ({ ...activity(), text: "x".repeat(2 * 1024 * 1024) }), 413],
  ])("%s gets a clear %s and reaches nobody", async (_name, body, status) => {
    received.length = 0;
    const response = await postActivity(server.url, body(), token());
    await expectClearRefusal(response, status);
    expect(received).toEqual([]);
  });
});

describe("Web API: malformed input", () => {
  let web: WebApp;
  let cookie: string;

  beforeAll(async () => {
    web = await startWebApp();
    const response = await fetch(`${web.base}/?as=${DEMO_IDS.sanne}`, { redirect: "manual" });
    cookie = (response.headers.get("set-cookie") ?? "").split(";")[0] as string;
  });

  afterAll(async () => {
    await web?.close();
  });

  const ref = `web:dm:${DEMO_IDS.sanne}`;

  it.each([
    ["a body that is not JSON", () => "{nope", 400],
    ["a JSON body of null", () => "null", 400],
    ["a command text that is a huge number", () => `{"conversationRef":"${ref}","text":1e400}`, 400],
    ["a command text with a lone surrogate", () => JSON.stringify({ conversationRef: ref, text: "help \ud800" }), 400],
    ["a command without a conversation", () => JSON.stringify({ text: "help" }), 400],
    ["an oversized body (100 kB)", () => JSON.stringify({ conversationRef: ref, text: "x".repeat(100_000) }), 413],
  ])("a command with %s gets a clear %s", async (_name, body, status) => {
    const before = await countWhere(web.database.db, "WebMessage");
    const response = await fetch(`${web.base}/web/api/command`, {
      method: "POST",
      headers: { cookie, "content-type": "application/json" },
      body: body(),
    });
    await expectClearRefusal(response, status);
    expect(await countWhere(web.database.db, "WebMessage")).toBe(before);
  });

  it.each([
    ["afterSeq beyond a 64-bit integer", `?afterSeq=9999999999999999999`],
    ["afterSeq that is negative", `?afterSeq=-1`],
    ["afterSeq given twice", `?afterSeq=1&afterSeq=2`],
  ])("a message list with %s gets a clear 400", async (_name, query) => {
    const response = await fetch(`${web.base}/web/api/conversations/${encodeURIComponent(ref)}/messages${query}`, {
      headers: { cookie },
    });
    await expectClearRefusal(response, 400);
  });

  it("a form with an answer holding a lone surrogate gets a clear 400", async () => {
    const response = await fetch(`${web.base}/web/api/form`, {
      method: "POST",
      headers: { cookie, "content-type": "application/json" },
      body: JSON.stringify({ conversationRef: ref, actionId: "retro.submit", value: "x", answers: { a: "\udfff" } }),
    });
    await expectClearRefusal(response, 400);
  });
});
