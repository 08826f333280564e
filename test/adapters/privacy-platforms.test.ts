import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_IDS } from "../../src/persistence/demo-seed.ts";
import { cardText, findByType } from "../support/adaptive-card-check.ts";
import type { FakeBotFramework } from "../support/fake-bot-framework.ts";
import type { FakeSlackApi } from "../support/fake-slack-api.ts";
import { firstWhere } from "../support/fixtures.ts";
import {
  SLACK_TEST_SECRET,
  type SlackOnDemo,
  startSlackOnDemo,
  startTeamsApp,
  type TeamsApp,
} from "../support/platform-apps.ts";
import { FORM, interactiveBody, postSigned, slashCommandBody } from "../support/slack-requests.ts";
import {
  APP_ID,
  channelPost,
  executeActivity,
  installActivity,
  messageActivity,
  personalConversation,
  postActivity,
  type TeamsPerson,
  type TeamsServer,
} from "../support/teams-activities.ts";
import { postToTeams } from "../support/teams-setup.ts";
import { eventually } from "../support/test-clock.ts";
import { type createTestCore, prompts } from "../support/test-core.ts";
import type { TestDatabase } from "../support/test-database.ts";

const nl = (key: string, vars?: Record<string, string | number>) => prompts.t("nl", key, vars);
const EXPORT_LINK = /\/privacy\/export\?token=[\w.-]+/;

describe("the privacy menu in Slack", () => {
  const TEAM = "T0PRIVACY";
  const DM = "DSANNE";
  let app: SlackOnDemo;
  let database: TestDatabase;
  let fake: FakeSlackApi;
  let base: string;
  let seq = 0;

  const post = (body: string) => postSigned(`${base}/slack/events`, body, FORM, { secret: SLACK_TEST_SECRET });
  const responded = (id: string) =>
    eventually(() => fake.callsTo("respond").find((call) => call.args.responseUrlId === id));
  const click = async (actionId: string) => {
    const id = `click-${++seq}`;
    await post(
      interactiveBody({
        type: "block_actions",
        team: { id: TEAM },
        user: { id: "USANNE", team_id: TEAM },
        api_app_id: "ALEERLUS",
        trigger_id: `trigger-${seq}`,
        response_url: fake.responseUrl(id),
        container: { type: "message", message_ts: "1700000000.000100", channel_id: DM, is_ephemeral: false },
        channel: { id: DM },
        message: { ts: "1700000000.000100", type: "message", text: "privacy" },
        actions: [{ type: "button", action_id: actionId, block_id: "b1", value: DEMO_IDS.sanne, action_ts: "1" }],
      }),
    );
    return responded(id);
  };

  beforeAll(async () => {
    app = await startSlackOnDemo(TEAM, [{ personId: DEMO_IDS.sanne, userId: "USANNE", name: "Sanne de Vries" }]);
    ({ database, fake, base } = app);
  });

  afterAll(async () => {
    await app?.close();
  });

  it("Export my data answers with a download link, not the data", async () => {
    await post(
      slashCommandBody({
        teamId: TEAM,
        userId: "USANNE",
        channelId: DM,
        text: "privacy",
        responseUrl: fake.responseUrl("cmd"),
      }),
    );
    expect(JSON.stringify((await responded("cmd")).args)).toContain("privacy.export");
    const exported = JSON.stringify((await click("privacy.export")).args);
    expect(exported).toMatch(EXPORT_LINK);
    expect(exported).not.toContain("displayName");
  });

  it("the erase question has Cancel, which replaces the question and erases nothing", async () => {
    const question = JSON.stringify((await click("privacy.erase")).args);
    expect(question).toContain("privacy.erase.cancel");
    expect(question).toContain(nl("privacy.button.erase-cancel"));
    const cancelled = (await click("privacy.erase.cancel")).args;
    expect(cancelled.replace_original).toBe(true);
    expect(String(cancelled.text)).toContain(nl("privacy.erase-cancelled"));
    expect(JSON.stringify(cancelled.blocks)).not.toContain("privacy.erase.confirm");
    expect(await firstWhere(database.db, "Person", { id: DEMO_IDS.sanne })).not.toBeNull();
  });
});

describe("the privacy menu in Teams", () => {
  const TENANT = "tenant-gemeente-privacy";
  const pim: TeamsPerson = { aadObjectId: "aad-pim-privacy", name: "Pim de Vries", tenantId: TENANT };
  let app: TeamsApp;
  let database: TestDatabase;
  let fake: FakeBotFramework;
  let server: TeamsServer;
  let core: ReturnType<typeof createTestCore>;
  const dm = personalConversation(pim);
  const setup = () => ({ fake, server, core, database });
  const cardsIn = (conversationId: string, before: number) =>
    fake.calls
      .slice(before)
      .filter((call) => call.conversationId === conversationId && call.body.attachments?.[0]?.content)
      .map((call) => call.body.attachments[0].content);
  /** Presses a card button; Teams shows the invoke's answer card in place of the pressed one. */
  const press = async (conversation: Record<string, unknown>, verb: string, value: string) => {
    const before = fake.calls.length;
    const data = { leerlus: { actionId: verb, value } };
    const response = await postActivity(
      server.url,
      executeActivity(fake, pim, conversation, { verb, data }),
      fake.token({ appId: APP_ID }),
    );
    const body = (await response.json()) as { value: unknown };
    return { answer: body.value, posted: () => cardsIn(String(conversation.id), before) };
  };
  let personId: string;

  beforeAll(async () => {
    app = await startTeamsApp();
    ({ database, fake, server, core } = app);
    await postToTeams(setup(), installActivity(fake, pim, dm));
    const person = await eventually(
      async () => (await core.deps.stores.directory.personByIdentity("teams", TENANT, pim.aadObjectId)) ?? undefined,
    );
    personId = person.id;
  });

  afterAll(async () => {
    await app?.close();
  });

  it("in the personal chat, Export my data answers with a download link", async () => {
    const before = fake.calls.length;
    await postToTeams(setup(), messageActivity(fake, pim, dm, "privacy"));
    // The menu may follow another card (a first contact's welcome): look through each.
    const exportButton = await eventually(() =>
      cardsIn(dm.id, before)
        .flatMap((card) => findByType(card, "Action.Execute"))
        .find((action) => action.verb === "privacy.export"),
    );
    expect(exportButton).toBeDefined();
    const { answer, posted } = await press(dm, "privacy.export", personId);
    const text = await eventually(() => {
      const all = [answer, ...posted()].map((card) => JSON.stringify(card)).join(" ");
      return EXPORT_LINK.test(all) ? all : undefined;
    });
    expect(text).not.toContain("displayName");
  });

  it("in a channel others read, the link is not given", async () => {
    const post = channelPost("team-privacy", "m1");
    const { answer, posted } = await press(post, "privacy.export", personId);
    const text = await eventually(() => {
      const all = [answer, ...posted()].map((card) => cardText(card)).join(" ");
      return all.includes(nl("privacy.export-direct-only").slice(0, 30)) ? all : undefined;
    });
    expect(text).not.toMatch(EXPORT_LINK);
  });

  it("Cancel on the erase question answers in place of the question, and erases nothing", async () => {
    const { answer: question, posted } = await press(dm, "privacy.erase", personId);
    const card = await eventually(() =>
      [question, ...posted()].find((candidate) =>
        findByType(candidate, "Action.Execute").some((action) => action.verb === "privacy.erase.cancel"),
      ),
    );
    expect(cardText(card)).toContain(nl("privacy.erase-confirm").slice(0, 40));
    const { answer } = await press(dm, "privacy.erase.cancel", personId);
    // The invoke's card takes the question's place: the answer, without its buttons.
    expect(cardText(answer)).toContain(nl("privacy.erase-cancelled").replace(".", ""));
    expect(findByType(answer, "Action.Execute")).toEqual([]);
    expect(await firstWhere(database.db, "Person", { id: personId })).not.toBeNull();
  });
});
