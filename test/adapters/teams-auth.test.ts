import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import { type FakeBotFramework, startFakeBotFramework } from "../support/fake-bot-framework.ts";
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
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const person: TeamsPerson = { aadObjectId: "aad-auth", name: "Auth Tester", tenantId: "tenant-auth" };

// Every request to /api/messages is authenticated by botbuilder against the (local) issuer.
describe.each([
  { appType: "MultiTenant" as const, tenantId: undefined },
  { appType: "SingleTenant" as const, tenantId: "tenant-of-the-bot" },
])("Teams request authentication ($appType)", ({ appType, tenantId }) => {
  let fake: FakeBotFramework;
  let server: TeamsServer;
  let database: TestDatabase;
  const received: InboundEvent[] = [];

  beforeAll(async () => {
    fake = await startFakeBotFramework();
    database = await createTestDatabase();
    server = await startTeamsServer(teamsConfig(fake, database.db, { appType, tenantId }));
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
  const now = () => Math.floor(Date.now() / 1000);

  it("handles a request with a valid channel token", async () => {
    received.length = 0;
    const response = await postActivity(server.url, activity(), fake.token({ appId: APP_ID }));
    expect(response.status).toBe(200);
    expect(received.map((event) => event.type)).toEqual(["memberJoined", "command"]);
    expect(received[1]).toMatchObject({ tenantId: "tenant-auth", platformUserId: "aad-auth", text: "help" });
  });

  it.each([
    ["no token", () => undefined],
    ["a forged signature", () => fake.token({ appId: APP_ID, key: fake.strangerKey })],
    ["an expired token", () => fake.token({ appId: APP_ID, overrides: { nbf: now() - 7200, exp: now() - 3600 } })],
    ["another audience", () => fake.token({ appId: "some-other-bot" })],
    ["another issuer", () => fake.token({ appId: APP_ID, overrides: { iss: "https://evil.example" } })],
    ["a token for another service URL", () => fake.token({ appId: APP_ID, serviceUrl: "https://evil.example/" })],
  ])("refuses %s with 401 and hands nothing to the core", async (_name, token) => {
    received.length = 0;
    const response = await postActivity(server.url, activity(), token());
    expect(response.status).toBe(401);
    expect(received).toEqual([]);
  });
});
