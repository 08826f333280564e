import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TeamsAdapterConfig } from "../../adapters/teams/teams-config.ts";
import { ConfigError, loadConfig } from "../../src/config.ts";
import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import { isLoopbackHost } from "../../src/domain/loopback.ts";
import type { Db } from "../../src/persistence/database.ts";
import { createReceivedEventRepository } from "../../src/persistence/received-event-repository.ts";
import { type FakeBotFramework, startFakeBotFramework } from "../support/fake-bot-framework.ts";
import { oneWhere } from "../support/fixtures.ts";
import { freePort } from "../support/free-port.ts";
import { runCliInProcess } from "../support/run-cli.ts";
import {
  messageActivity,
  personalConversation,
  startTeamsServer,
  type TeamsPerson,
  type TeamsServer,
  teamsConfig,
} from "../support/teams-activities.ts";
import { eventually } from "../support/test-clock.ts";
import { prompts } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";
import { randomQueuePrefix, startWorkerProcess, type WorkerProcess } from "../support/worker-process.ts";

const person: TeamsPerson = { aadObjectId: "aad-local", name: "Alex Wilber", tenantId: "tenant-local" };

const anonymousConfig = (db: Db, overrides: Partial<TeamsAdapterConfig> = {}): TeamsAdapterConfig => ({
  receivedEvents: createReceivedEventRepository(db),
  appId: "",
  appPassword: "",
  tenantId: undefined,
  appType: "MultiTenant",
  localAnonymous: true,
  text: (locale, key, vars) => prompts.t(locale, key, vars),
  ...overrides,
});

/** What the Agents Playground posts: no Authorization header at all. */
const postUnauthenticated = (url: string, activity: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}/api/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(activity),
  });

describe("TEAMS_LOCAL_ANONYMOUS in the configuration", () => {
  it("is allowed on loopback without Microsoft credentials", () => {
    for (const host of ["127.0.0.1", "::1", "localhost"]) {
      expect(loadConfig({ TEAMS_LOCAL_ANONYMOUS: "true", HOST: host }).teams).toMatchObject({
        appId: "",
        localAnonymous: true,
      });
    }
    expect(loadConfig({}).teams).toBeUndefined();
  });

  it("is refused on an address others can reach", () => {
    for (const host of ["0.0.0.0", "::", "192.168.1.20", "leerlus.example.nl"]) {
      const attempt = () => loadConfig({ TEAMS_LOCAL_ANONYMOUS: "true", HOST: host });
      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(/TEAMS_LOCAL_ANONYMOUS needs HOST on this machine only/);
    }
  });

  it("is refused with an app password or app id set", () => {
    for (const env of [
      { MICROSOFT_APP_PASSWORD: "secret" },
      { MICROSOFT_APP_ID: "app", MICROSOFT_APP_PASSWORD: "secret" },
      { MICROSOFT_APP_ID: "app" },
    ]) {
      const attempt = () => loadConfig({ TEAMS_LOCAL_ANONYMOUS: "true", ...env });
      expect(attempt).toThrow(/unset MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD/);
    }
  });

  it("stops `leerlus serve` bound to 0.0.0.0 with a message and a non-zero exit", async () => {
    const result = await runCliInProcess(["serve"], { TEAMS_LOCAL_ANONYMOUS: "true", HOST: "0.0.0.0" });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/TEAMS_LOCAL_ANONYMOUS needs HOST on this machine only/);
  });

  it("knows what stays on this machine", () => {
    for (const host of ["localhost", "LOCALHOST", "127.0.0.1", "127.8.9.10", "::1", "[::1]", "::ffff:127.0.0.1"]) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of ["0.0.0.0", "::", "", "10.0.0.1", "127.0.0.256", "localhost.evil.example", "128.0.0.1"]) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });
});

describe("Teams requests without a token", () => {
  let fake: FakeBotFramework;
  let anonymous: TeamsServer;
  let authenticated: TeamsServer;
  let requests: TestDatabase;
  const received: InboundEvent[] = [];

  beforeAll(async () => {
    requests = await createTestDatabase();
    fake = await startFakeBotFramework();
    anonymous = await startTeamsServer(anonymousConfig(requests.db));
    authenticated = await startTeamsServer(teamsConfig(fake, requests.db));
    for (const server of [anonymous, authenticated]) {
      await server.teams.adapter.start(async (event) => {
        received.push(event);
        return event.type === "command"
          ? [{ fallback: "hello", blocks: [{ type: "paragraph", text: ["hello"] }] }]
          : [];
      });
    }
  });

  afterAll(async () => {
    await anonymous?.close();
    await authenticated?.close();
    await fake?.close();
    await requests?.drop();
  });

  const activity = (serviceUrl?: string) => ({
    ...messageActivity(fake, person, personalConversation(person), "help"),
    ...(serviceUrl ? { serviceUrl } : {}),
  });

  it("still get 401 without the local anonymous mode", async () => {
    received.length = 0;
    expect((await postUnauthenticated(authenticated.url, activity())).status).toBe(401);
    expect(received).toEqual([]);
  });

  it("are handled in the mode, and the answer goes back to the activity's serviceUrl without a token", async () => {
    received.length = 0;
    const before = fake.calls.length;
    expect((await postUnauthenticated(anonymous.url, activity())).status).toBe(200);
    // Recorded before the 200, handled right after it: the answer follows the acknowledgement.
    const answer = await eventually(() => fake.calls.slice(before)[0]);
    expect(received.map((event) => event.type)).toEqual(["memberJoined", "command"]);
    expect(answer?.conversationId).toBe(personalConversation(person).id);
    expect(answer?.authorization).toBeUndefined();
  });

  it("are refused in the mode when they name a Bot Connector elsewhere, or came through a proxy", async () => {
    received.length = 0;
    const before = fake.calls.length;
    const elsewhere = await postUnauthenticated(anonymous.url, activity("https://smba.trafficmanager.net/teams/"));
    expect(elsewhere.status).toBe(403);
    expect(((await elsewhere.json()) as { error: { code: string } }).error.code).toBe("TEAMS_LOCAL_ONLY");
    const proxied = await postUnauthenticated(anonymous.url, activity(), { "x-forwarded-for": "203.0.113.9" });
    expect(proxied.status).toBe(403);
    expect(received).toEqual([]);
    expect(fake.calls.length).toBe(before);
  });
});

describe("`leerlus serve` with TEAMS_LOCAL_ANONYMOUS", () => {
  let database: TestDatabase;
  let fake: FakeBotFramework;
  let serve: WorkerProcess;
  let url: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    fake = await startFakeBotFramework();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    serve = startWorkerProcess({
      command: "serve",
      databaseUrl: database.url,
      queuePrefix: randomQueuePrefix(),
      env: { PORT: String(port), HOST: "127.0.0.1", TEAMS_LOCAL_ANONYMOUS: "true" },
    });
    await eventually(async () => (await fetch(`${url}/healthz`).catch(() => null))?.ok, 60_000);
  }, 90_000);

  afterAll(async () => {
    await serve?.stop();
    await fake?.close();
    await database?.drop();
  });

  it("warns at start that Teams requests are not authenticated", () => {
    const warning = serve
      .output()
      .split("\n")
      .find((line) => line.includes('"code":"TEAMS_LOCAL_ANONYMOUS"'));
    expect(warning).toBeDefined();
    expect(JSON.parse(warning ?? "{}")).toMatchObject({ level: 40 });
  });

  it("welcomes the installer of a new tenant through the local Bot Connector", async () => {
    const install = {
      ...messageActivity(fake, person, personalConversation(person), ""),
      type: "installationUpdate",
      action: "add",
    };
    expect((await postUnauthenticated(url, install)).status).toBe(200);
    const welcome = await eventually(() =>
      fake.calls.find((call) => call.conversationId === personalConversation(person).id),
    );
    expect(welcome.authorization).toBeUndefined();
    const founder = await oneWhere(database.db, "Person", {});
    expect(founder.roles).toContain("admin");
  });
});
