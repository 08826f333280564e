import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { cardText, findByType } from "../support/adaptive-card-check.ts";
import { type FakeBotFramework, startFakeBotFramework } from "../support/fake-bot-framework.ts";
import { insertRow, oneWhere } from "../support/fixtures.ts";
import {
  APP_ID,
  channelConversation,
  messageActivity,
  personalConversation,
  postHandled,
  startTeamsServer,
  type TeamsPerson,
  type TeamsServer,
  teamsConfig,
} from "../support/teams-activities.ts";
import { createTestCore, prompts } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const TENANT = "tenant-wording";
const lotte: TeamsPerson = { aadObjectId: "aad-lotte-w", name: "Lotte Jansen", tenantId: TENANT };
const joost: TeamsPerson = { aadObjectId: "aad-joost", name: "Joost Bakker", tenantId: TENANT, locale: "en-US" };

// Teams words through the real botbuilder CloudAdapter over HTTP and the real core.
describe("Teams wording and language", () => {
  let database: TestDatabase;
  let fake: FakeBotFramework;
  let server: TeamsServer;
  let core: ReturnType<typeof createTestCore>;

  const post = (activity: Record<string, unknown>) =>
    postHandled(database.db, server.url, activity, fake.token({ appId: APP_ID }));
  const cardsIn = (conversation: { id: string }) =>
    fake.calls
      .filter((call) => call.conversationId === conversation.id && (call.kind === "reply" || call.kind === "send"))
      .map((call) => call.body.attachments?.[0]?.content);
  /** Says `text` and returns the card Leerlus answered with. */
  const say = async (person: TeamsPerson, conversation: { id: string }, text: string) => {
    const before = cardsIn(conversation).length;
    expect((await post(messageActivity(fake, person, conversation, text))).status).toBe(200);
    const cards = cardsIn(conversation);
    expect(cards.length).toBe(before + 1);
    return cards[before];
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    fake = await startFakeBotFramework();
    server = await startTeamsServer(teamsConfig(fake, database.db));
    core = createTestCore(database, [server.teams.adapter]);
    await server.teams.adapter.start((event) => handleEvent(core.deps, event));
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
    await insertRow(database.db, "Install", {
      organisationId: DEMO_IDS.organisation,
      platform: "teams",
      tenantId: TENANT,
    });
    await insertRow(database.db, "ChatIdentity", {
      personId: DEMO_IDS.lotte,
      platform: "teams",
      tenantId: TENANT,
      platformUserId: lotte.aadObjectId,
    });
  });

  afterAll(async () => {
    await server?.teams.adapter.stop();
    await server?.close();
    await core?.close();
    await fake?.close();
    await database?.drop();
  });

  it("the help card shows each command whole and says to mention @Leerlus, never /leerlus", async () => {
    for (const conversation of [personalConversation(lotte), channelConversation("wording")]) {
      const text = conversation.id.startsWith("19:") ? "<at>Leerlus</at> help" : "help";
      const card = await say(lotte, conversation, text);
      const shown = cardText(card);
      expect(shown).toContain(prompts.t("nl", "help.commands.lessons"));
      expect(shown).toContain("lessen <woorden>: zoek");
      // Teams strips what looks like a tag from TextBlock markdown, escaped or not.
      for (const block of findByType(card, "TextBlock")) expect(String(block.text)).not.toMatch(/[<>]/);
      expect(shown).toContain("@Leerlus help");
      expect(shown).not.toContain("/leerlus");
    }
  });

  it("answers a person without a language of their own in their Teams client's language", async () => {
    // Joost joins the team's channel: Teams names him, but says nothing of his language.
    const team = channelConversation("wording");
    const joined = {
      ...messageActivity(fake, lotte, team, ""),
      type: "conversationUpdate",
      text: undefined,
      membersAdded: [{ id: `29:${joost.aadObjectId}`, aadObjectId: joost.aadObjectId, name: joost.name }],
    };
    expect((await post(joined)).status).toBe(200);
    const stored = await oneWhere(database.db, "Person", { displayName: joost.name });
    expect(stored.locale).toBeNull();

    const chat = personalConversation(joost);
    expect(cardText(await say(joost, chat, "dance"))).toContain(
      prompts.t("en", "errors.unknown-command", { command: "dance" }),
    );
    expect(cardText(await say(joost, chat, "settings timezone Mars/Base"))).toContain(
      prompts.t("en", "settings.timezone-unclear", { timezone: "Mars/Base" }),
    );
    // Once he chooses Dutch, Dutch it is, whatever his client says.
    expect(cardText(await say(joost, chat, "settings language nl"))).toMatch(/^Opgeslagen\./m);
    expect(cardText(await say(joost, chat, "dance"))).toContain(
      prompts.t("nl", "errors.unknown-command", { command: "dance" }),
    );
  });
});
