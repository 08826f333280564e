import { readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { channelOf, serializeReference } from "../../adapters/teams/conversation-ref.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { cardText } from "../support/adaptive-card-check.ts";
import { type FakeBotFramework, startFakeBotFramework } from "../support/fake-bot-framework.ts";
import { insertRow, oneWhere, rowsWhere } from "../support/fixtures.ts";
import {
  APP_ID,
  BOT_ID,
  channelConversation,
  channelPost,
  messageActivity,
  postActivity,
  startTeamsServer,
  type TeamsPerson,
  type TeamsServer,
  teamsConfig,
} from "../support/teams-activities.ts";
import { setUpTeamsProject } from "../support/teams-setup.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestCore, prompts } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const TENANT = "tenant-gemeente-draden";
const pim: TeamsPerson = { aadObjectId: "aad-pim-threads", name: "Pim de Vries", tenantId: TENANT };

// In a Teams channel every post is a thread, and an activity's conversation id names it
// (`19:…@thread.tacv2;messageid=…`). A project belongs to the channel, whatever thread it was
// set up in or is spoken to from.
describe("a Teams channel is one project, whatever thread", () => {
  let database: TestDatabase;
  let fake: FakeBotFramework;
  let server: TeamsServer;
  let core: ReturnType<typeof createTestCore>;

  const post = async (activity: Record<string, unknown>) => {
    const response = await postActivity(server.url, activity, fake.token({ appId: APP_ID }));
    expect(response.status).toBe(200);
  };
  const callsTo = (conversationId: string) =>
    fake.calls.filter((call) => call.conversationId === conversationId && call.kind !== "update");

  beforeAll(async () => {
    database = await createTestDatabase();
    fake = await startFakeBotFramework();
    server = await startTeamsServer(teamsConfig(fake, database.db));
    core = createTestCore(database, [server.teams.adapter]);
    await server.teams.adapter.start((event) => handleEvent(core.deps, event));
  });

  afterAll(async () => {
    await server?.teams.adapter.stop();
    await server?.close();
    await core?.close();
    await fake?.close();
    await database?.drop();
  });

  /** Pim adds Leerlus to a team and sets the channel up from the welcome card, in its thread. */
  const setUp = (teamId: string, name: string) =>
    setUpTeamsProject({ fake, server, core, database }, pim, teamId, name);

  it("finds the project from a new post in the channel it was set up in", async () => {
    const innovatie = await setUp("innovatie", "Innovatieteam wijken");
    await setUp("sensoren", "Slimme sensoren");

    // A new post in the first channel: its own thread, not the one the setup happened in.
    const newPost = channelPost("innovatie", "1790000000001");
    await post(messageActivity(fake, pim, newPost, "<at>Leerlus</at> retro nu"));

    const answer = await eventually(() => callsTo(newPost.id)[0]);
    const text = cardText(answer.body.attachments[0].content);
    expect(text).not.toContain(prompts.t("nl", "retro.now.which-project"));
    expect(text).toContain(prompts.t("nl", "retro.now.started"));
    const cycle = await eventually(async () => (await core.deps.stores.retro.latestCycle(innovatie)) ?? undefined);
    expect(cycle.status).toBe("open");
  });

  it("keys the project by the channel and posts its channel messages as new posts", async () => {
    const channel = channelConversation("innovatie");
    const stored = await rowsWhere(database.db, "ProjectChannel", { platform: "teams" });
    expect(stored.map((row) => JSON.parse(row.conversationRef).conversation.id).sort()).toEqual([
      channel.id,
      channelConversation("sensoren").id,
    ]);
    // Messages Leerlus starts itself (the opened retro's notice) go to the channel, not into the
    // thread the project was set up in. Teams threads by the conversation id; botbuilder's
    // proactive sends name its own made-up continuation activity as replyToId, which starts none.
    const notice = await eventually(() =>
      fake.calls.find((call) => cardText(call.body.attachments?.[0]?.content).includes("Retro 1 ")),
    );
    expect(notice.conversationId).toBe(channel.id);
  });

  it("moves references stored before to their channel, the first project set up taking it", async () => {
    // What Leerlus stored before for a channel activity: the thread's own conversation id.
    const ref = (id: string) =>
      serializeReference({
        channelId: "msteams",
        serviceUrl: fake.serviceUrl,
        conversation: { id, tenantId: TENANT, conversationType: "channel", isGroup: true } as never,
        bot: { id: BOT_ID, name: "Leerlus" },
      }).replace(JSON.stringify(channelOf(id)), JSON.stringify(id));
    const organisation = await insertRow(database.db, "Organisation", { name: "Gemeente Migratie" });
    const project = async (name: string, createdAt: string, conversationId: string) =>
      database.prisma.project.create({
        data: {
          organisationId: organisation.id,
          name,
          cadence: {},
          createdAt: new Date(createdAt),
          channels: { create: { platform: "teams", conversationRef: ref(conversationId) } },
        },
      });
    const first = await project("Eerste", "2026-01-01T10:00:00Z", "19:oud@thread.tacv2;messageid=11");
    const second = await project("Tweede", "2026-02-01T10:00:00Z", "19:oud@thread.tacv2;messageid=22");
    const alone = await project("Alleen", "2026-03-01T10:00:00Z", "19:alleen@thread.tacv2;messageid=33");
    const taken = await project("Bezet", "2026-04-01T10:00:00Z", "19:innovatie@thread.tacv2;messageid=44");

    const migration = readFileSync(
      path.resolve(
        import.meta.dirname,
        "../../prisma/migrations/20261207173412_teams_channel_without_thread/migration.sql",
      ),
      "utf8",
    );
    await sql.raw(migration).execute(database.db);

    const idOf = async (projectId: string) => {
      const row = await oneWhere(database.db, "ProjectChannel", { projectId });
      return JSON.parse(row.conversationRef).conversation.id;
    };
    expect(await idOf(first.id)).toBe("19:oud@thread.tacv2");
    expect(await idOf(second.id)).toBe("19:oud@thread.tacv2;messageid=22");
    expect(await idOf(alone.id)).toBe("19:alleen@thread.tacv2");
    // The channel already belongs to the project set up since this change.
    expect(await idOf(taken.id)).toBe("19:innovatie@thread.tacv2;messageid=44");
    // What the adapter now stores for the same channel is exactly the migrated string.
    const migrated = await oneWhere(database.db, "ProjectChannel", { projectId: first.id });
    expect(migrated.conversationRef).toBe(ref("19:oud@thread.tacv2"));
  });
});
