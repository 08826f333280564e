// The real Slack (Bolt) and Teams (botbuilder) adapters on the real core and a fresh database,
// behind their local stand-ins, as the platform tests start them.
import type { Server } from "node:http";
import type { SlackAdapter } from "../../adapters/slack/create-slack-adapter.ts";
import { seedDemo } from "../../src/persistence/demo-seed.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { type FakeBotFramework, startFakeBotFramework } from "./fake-bot-framework.ts";
import { type FakeSlackApi, startFakeSlackApi } from "./fake-slack-api.ts";
import { closeServer, listenApp } from "./listen-app.ts";
import { createRecordingAdapter } from "./recording-adapter.ts";
import { createTestSlackAdapter } from "./slack-test-adapter.ts";
import { startTeamsServer, type TeamsServer, teamsConfig } from "./teams-activities.ts";
import { createTestCore } from "./test-core.ts";
import { createTestDatabase, type TestDatabase } from "./test-database.ts";

export const SLACK_TEST_SECRET = "slack-signing-secret-for-tests";

export type SlackOnDemo = {
  database: TestDatabase;
  fake: FakeSlackApi;
  slack: SlackAdapter;
  core: ReturnType<typeof createTestCore>;
  base: string;
  close(): Promise<void>;
};

/**
 * Slack installed for the demo organisation as workspace `team`, with each demo person of
 * `people` (person id → Slack user id and name) known there.
 */
export async function startSlackOnDemo(
  team: string,
  people: { personId: string; userId: string; name: string }[],
): Promise<SlackOnDemo> {
  const database = await createTestDatabase();
  const fake = await startFakeSlackApi({ id: team, name: "Gemeente Demo" });
  for (const person of people) fake.users.set(person.userId, { id: person.userId, name: person.name, locale: "nl-NL" });
  const slack = createTestSlackAdapter(fake, database.db, {
    signingSecret: SLACK_TEST_SECRET,
    botIdentity: { botId: "BLEERLUS", botUserId: "UBOTLEERLUS" },
  });
  const core = createTestCore(database, [slack.adapter, createRecordingAdapter("web")]);
  await slack.adapter.start((inbound) => handleEvent(core.deps, inbound));
  const { server, base } = await listenApp({ rawRouters: [slack.router] });
  const { organisationId } = await seedDemo(database.db, { now: core.clock.now(), fast: true });
  await database.prisma.install.create({ data: { organisationId, platform: "slack", tenantId: team } });
  for (const person of people) {
    await database.prisma.chatIdentity.create({
      data: { personId: person.personId, platform: "slack", tenantId: team, platformUserId: person.userId },
    });
  }
  return {
    database,
    fake,
    slack,
    core,
    base,
    async close() {
      await slack.adapter.stop();
      await closeServer(server as Server);
      await core.close();
      await fake.close();
      await database.drop();
    },
  };
}

export type TeamsApp = {
  database: TestDatabase;
  fake: FakeBotFramework;
  server: TeamsServer;
  core: ReturnType<typeof createTestCore>;
  close(): Promise<void>;
};

/** Teams alone on an empty database: a tenant becomes an organisation when Leerlus is installed. */
export async function startTeamsApp(): Promise<TeamsApp> {
  const database = await createTestDatabase();
  const fake = await startFakeBotFramework();
  const server = await startTeamsServer(teamsConfig(fake, database.db));
  const core = createTestCore(database, [server.teams.adapter]);
  await server.teams.adapter.start((event) => handleEvent(core.deps, event));
  return {
    database,
    fake,
    server,
    core,
    async close() {
      await server.teams.adapter.stop();
      await server.close();
      await core.close();
      await fake.close();
      await database.drop();
    },
  };
}
