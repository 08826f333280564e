// Team actions in Slack and Teams: taking, taking twice, rewriting, and a lead's assigning
// rewrite the proposal message in place (Slack chat.update, Teams card refresh and update);
// a member's assign is refused; the next retro reviews the actions with their owners. Real
// Bolt and botbuilder over HTTP, the real core on its own database.
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conversationRef, parseSentRef } from "../../adapters/slack/conversation-ref.ts";
import type { SlackAdapter } from "../../adapters/slack/create-slack-adapter.ts";
import { referenceOf } from "../../adapters/teams/activity-to-event.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import type { CycleRecord } from "../../src/ports/retro-store.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { adaptiveCardProblems, cardText, findByType } from "../support/adaptive-card-check.ts";
import { callProblems } from "../support/block-kit-limits.ts";
import { type FakeBotFramework, startFakeBotFramework } from "../support/fake-bot-framework.ts";
import { type FakeSlackApi, startFakeSlackApi } from "../support/fake-slack-api.ts";
import { rowsWhere } from "../support/fixtures.ts";
import { closeServer, listenApp } from "../support/listen-app.ts";
import { closedRetroWithProposals, openNextRetro } from "../support/proposed-actions.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { FORM, interactiveBody, postSigned, viewSubmissionBody } from "../support/slack-requests.ts";
import { createTestSlackAdapter } from "../support/slack-test-adapter.ts";
import {
  APP_ID,
  channelConversation,
  executeActivity,
  installActivity,
  postActivity,
  startTeamsServer,
  type TeamsPerson,
  type TeamsServer,
  teamsConfig,
} from "../support/teams-activities.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestCore } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const owners = async (database: TestDatabase, actionId: string) =>
  (await rowsWhere(database.db, "ActionOwner", { actionId })).map((row) => row.personId).sort();

describe("team actions in Slack", () => {
  const SECRET = "slack-signing-secret-for-tests";
  const TEAM = "T0LEERLUS";
  const CHANNEL = "C0PILOT";
  let database: TestDatabase;
  let fake: FakeSlackApi;
  let slack: SlackAdapter;
  let core: ReturnType<typeof createTestCore>;
  let server: Server;
  let base: string;
  let actions: string[];
  let proposalTs: string;
  let seq = 0;

  const click = (userId: string, actionId: string, value: string) =>
    postSigned(
      `${base}/slack/events`,
      interactiveBody({
        type: "block_actions",
        team: { id: TEAM },
        user: { id: userId, team_id: TEAM },
        api_app_id: "ALEERLUS",
        trigger_id: `trigger-${++seq}`,
        response_url: fake.responseUrl(`click-${seq}`),
        container: { type: "message", message_ts: proposalTs, channel_id: CHANNEL, is_ephemeral: false },
        channel: { id: CHANNEL },
        message: { ts: proposalTs, type: "message", text: "voorstellen" },
        actions: [{ type: "button", action_id: actionId, block_id: "b1", value, action_ts: "1" }],
      }),
      FORM,
      { secret: SECRET },
    );
  const responseTo = async (n: number) =>
    JSON.stringify(
      await eventually(() => fake.callsTo("respond").find((call) => call.args.responseUrlId === `click-${n}`)),
    );
  const updates = () => fake.callsTo("chat.update").filter((call) => call.args.ts === proposalTs);
  const nextUpdate = (before: number) => eventually(() => updates()[before]).then((call) => JSON.stringify(call.args));
  /** Clicks a button that opens a modal; returns the modal's view once Slack was asked to open it. */
  const modalFrom = async (userId: string, actionId: string, value: string) => {
    const before = fake.callsTo("views.open").length;
    await click(userId, actionId, value);
    const opened = await eventually(() => fake.callsTo("views.open")[before]);
    return opened.args.view as { blocks: unknown[]; private_metadata: string };
  };
  const submitModal = (userId: string, view: { blocks: unknown[]; private_metadata: string }, values: object) =>
    postSigned(
      `${base}/slack/events`,
      viewSubmissionBody({ teamId: TEAM, userId, view, values: values as Record<string, Record<string, unknown>> }),
      FORM,
      { secret: SECRET },
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    fake = await startFakeSlackApi({ id: TEAM, name: "Gemeente Demo" });
    const people = [
      [DEMO_IDS.sanne, "USANNE", "Sanne de Vries"],
      [DEMO_IDS.lotte, "ULOTTE", "Lotte Jansen"],
      [DEMO_IDS.ahmed, "UAHMED", "Ahmed El Amrani"],
    ] as const;
    for (const [, id, name] of people) fake.users.set(id, { id, name, locale: "nl-NL" });
    slack = createTestSlackAdapter(fake, database.db, {
      signingSecret: SECRET,
      botIdentity: { botId: "BLEERLUS", botUserId: "UBOTLEERLUS" },
    });
    core = createTestCore(database, [slack.adapter, createRecordingAdapter("web")]);
    await slack.adapter.start((inbound) => handleEvent(core.deps, inbound));
    ({ server, base } = await listenApp({ rawRouters: [slack.router] }));
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
    await database.prisma.install.create({
      data: { organisationId: DEMO_IDS.organisation, platform: "slack", tenantId: TEAM },
    });
    for (const [personId, userId] of people) {
      await database.prisma.chatIdentity.create({
        data: { personId, platform: "slack", tenantId: TEAM, platformUserId: userId },
      });
    }
    await database.prisma.projectChannel.create({
      data: { projectId: DEMO_IDS.pilot, platform: "slack", conversationRef: conversationRef(TEAM, CHANNEL) },
    });
    actions = (await closedRetroWithProposals(core, database)).ids;
    const row = await eventually(async () => {
      const found = await database.prisma.outboxMessage.findFirst({
        where: { key: { startsWith: "team-actions:" }, platform: "slack" },
      });
      return found?.sentRef ? found : undefined;
    });
    proposalTs = parseSentRef(row.sentRef as string)?.ts ?? "";
  });

  afterAll(async () => {
    await slack?.adapter.stop();
    await closeServer(server);
    await core?.close();
    await fake?.close();
    await database?.drop();
  });

  it("posts the proposals with I'll take it, Rewrite and Assign, within Block Kit's limits", () => {
    const post = fake
      .callsTo("chat.postMessage")
      .find((call) => JSON.stringify(call.args).includes("team-action.take"));
    expect(post?.args.channel).toBe(CHANNEL);
    const text = JSON.stringify(post?.args.blocks);
    for (const label of ["Ik pak dit op", "Herschrijven", "Toewijzen"]) expect(text).toContain(label);
    expect(callProblems(fake.callsTo("chat.postMessage"))).toEqual([]);
  });

  it("a take rewrites the message with chat.update; a second take counts once and offers Step back", async () => {
    const [first = ""] = actions;
    const before = updates().length;
    expect((await click("UAHMED", "team-action.take", first)).status).toBe(200);
    expect(await nextUpdate(before)).toContain("Opgepakt door Ahmed El Amrani");
    expect(await responseTo(seq)).toContain("Je hebt deze actie opgepakt");
    await click("UAHMED", "team-action.take", first);
    const second = await responseTo(seq);
    expect(second).toContain("al opgepakt");
    expect(second).toContain("team-action.step-back");
    expect(await owners(database, first)).toEqual([DEMO_IDS.ahmed]);
    expect(callProblems(fake.callsTo("chat.update"))).toEqual([]);
  });

  it("Rewrite opens a modal; its submission shows the new text and what it said in the message", async () => {
    const [, second = ""] = actions;
    const view = await modalFrom("ULOTTE", "team-action.rewrite", second);
    const before = updates().length;
    const sent = await submitModal("ULOTTE", view, {
      text: { text: { type: "plain_text_input", value: "Wijkavond <!channel> plannen" } },
    });
    expect(sent.status).toBe(200);
    const update = await nextUpdate(before);
    // The new text is inert: no channel-wide ping.
    expect(update).toContain("Wijkavond &lt;!channel");
    expect(update).not.toContain("<!channel>");
    expect(update).toContain("Herschreven door Lotte Jansen");
  });

  it("a member's Assign is refused; the lead's Assign picks a team member who becomes owner", async () => {
    const [, , third = ""] = actions;
    await click("ULOTTE", "team-action.assign", third);
    expect(await responseTo(seq)).toContain("Alleen de trekker");
    const view = await modalFrom("USANNE", "team-action.assign", third);
    expect(JSON.stringify(view.blocks)).toContain("static_select");
    const before = updates().length;
    await submitModal("USANNE", view, {
      person: { person: { type: "static_select", selected_option: { value: DEMO_IDS.lotte } } },
    });
    expect(await nextUpdate(before)).toContain("Opgepakt door Lotte Jansen");
    expect(await owners(database, third)).toEqual([DEMO_IDS.lotte]);
  });

  it("the next retro starts by reviewing the actions with their owners", async () => {
    await openNextRetro(core);
    const review = await eventually(() =>
      fake
        .callsTo("chat.postMessage")
        .find((call) => call.args.channel === CHANNEL && JSON.stringify(call.args).includes("action.done")),
    );
    const text = JSON.stringify(review.args.blocks);
    expect(text).toContain("Ahmed El Amrani");
    expect(text).toContain("Lotte Jansen");
  });
});

describe("team actions in Teams", () => {
  const TENANT = "tenant-gemeente-demo";
  const sanne: TeamsPerson = { aadObjectId: "aad-sanne", name: "Sanne de Vries", tenantId: TENANT };
  const ahmed: TeamsPerson = { aadObjectId: "aad-ahmed", name: "Ahmed El Amrani", tenantId: TENANT };
  const lotte: TeamsPerson = { aadObjectId: "aad-lotte", name: "Lotte Jansen", tenantId: TENANT };
  const team = channelConversation("pilot");
  let database: TestDatabase;
  let fake: FakeBotFramework;
  let server: TeamsServer;
  let core: ReturnType<typeof createTestCore>;
  let cycle: CycleRecord;
  let actions: string[];
  let proposalId: string;
  let proposalCard: unknown;

  const post = async (activity: Record<string, unknown>) => {
    const response = await postActivity(server.url, activity, fake.token({ appId: APP_ID }));
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const execute = (
    card: unknown,
    person: TeamsPerson,
    verb: string,
    value: string,
    extra = {},
    replyTo = proposalId,
  ) => {
    const action = findByType(card, "Action.Execute").find(
      (candidate) =>
        candidate.verb === verb && (candidate.data as { leerlus?: { value?: string } }).leerlus?.value === value,
    );
    if (!action) throw new Error(`no ${verb} for ${value}`);
    const data = { ...(action.data as Record<string, unknown>), ...extra };
    return post(executeActivity(fake, person, team, { verb, data }, replyTo));
  };
  const posted = (text: string) =>
    eventually(() =>
      fake.calls.find(
        (call) =>
          call.conversationId === team.id &&
          (call.kind === "send" || call.kind === "reply") &&
          JSON.stringify(call.body).includes(text),
      ),
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    fake = await startFakeBotFramework();
    server = await startTeamsServer(teamsConfig(fake, database.db));
    core = createTestCore(database, [server.teams.adapter, createRecordingAdapter("web")]);
    await server.teams.adapter.start((event) => handleEvent(core.deps, event));
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
    await database.prisma.install.create({
      data: { organisationId: DEMO_IDS.organisation, platform: "teams", tenantId: TENANT },
    });
    for (const [personId, person] of [
      [DEMO_IDS.sanne, sanne],
      [DEMO_IDS.ahmed, ahmed],
      [DEMO_IDS.lotte, lotte],
    ] as const) {
      await database.prisma.chatIdentity.create({
        data: { personId, platform: "teams", tenantId: TENANT, platformUserId: person.aadObjectId },
      });
    }
    const channelRef = referenceOf(installActivity(fake, sanne, team, "pilot") as never);
    await database.prisma.projectChannel.create({
      data: { projectId: DEMO_IDS.pilot, platform: "teams", conversationRef: channelRef },
    });
    ({ cycle, ids: actions } = await closedRetroWithProposals(core, database));
    const sent = await posted("team-action.take");
    proposalId = sent.activityId as string;
    proposalCard = sent.body.attachments[0].content;
  });

  afterAll(async () => {
    await server?.teams.adapter.stop();
    await server?.close();
    await core?.close();
    await fake?.close();
    await database?.drop();
  });

  it("I'll take it answers with the refreshed card and updates everyone's copy; a second take counts once", async () => {
    const [first = ""] = actions;
    expect(adaptiveCardProblems(proposalCard)).toEqual([]);
    const answered = await execute(proposalCard, ahmed, "team-action.take", first);
    expect(answered.status).toBe(200);
    expect(answered.body.type).toBe("application/vnd.microsoft.card.adaptive");
    expect(adaptiveCardProblems(answered.body.value)).toEqual([]);
    expect(cardText(answered.body.value)).toContain("Opgepakt door Ahmed El Amrani");
    const update = await eventually(() =>
      fake.calls.find((call) => call.kind === "update" && call.activityId === proposalId),
    );
    expect(cardText(update.body.attachments[0].content)).toContain("Opgepakt door Ahmed El Amrani");
    // The stale card clicked again: the card as it reads now, and the explanation with Step back.
    const again = await execute(proposalCard, ahmed, "team-action.take", first);
    expect(cardText(again.body.value)).toContain("Opgepakt door Ahmed El Amrani");
    const explanation = await posted("al opgepakt");
    expect(JSON.stringify(explanation.body)).toContain("team-action.step-back");
    expect(await owners(database, first)).toEqual([DEMO_IDS.ahmed]);
  });

  it("Rewrite posts a form; sent, the card shows the new text and what it said", async () => {
    const [, second = ""] = actions;
    await execute(proposalCard, lotte, "team-action.rewrite", second);
    const form = (await posted("team-action.rewrite.submit")).body.attachments[0].content;
    const updatesBefore = fake.calls.filter((call) => call.kind === "update" && call.activityId === proposalId).length;
    const sent = await execute(form, lotte, "team-action.rewrite.submit", second, { text: "Wijkavond **plannen**" });
    expect(sent.status).toBe(200);
    const update = await eventually(
      () => fake.calls.filter((call) => call.kind === "update" && call.activityId === proposalId)[updatesBefore],
    );
    const text = cardText(update.body.attachments[0].content);
    expect(text).toContain("Herschreven door Lotte Jansen");
    expect(text).toContain("Wijkavond");
    expect((await database.prisma.actionItem.findUniqueOrThrow({ where: { id: second } })).text).toBe(
      "Wijkavond **plannen**",
    );
  });

  it("a member's Assign is refused; the lead's form makes the chosen member an owner", async () => {
    const [, , third = ""] = actions;
    await execute(proposalCard, lotte, "team-action.assign", third);
    await posted("Alleen de trekker van het project kan een actie toewijzen");
    await execute(proposalCard, sanne, "team-action.assign", third);
    const form = (await posted("team-action.assign.submit")).body.attachments[0].content;
    await execute(form, sanne, "team-action.assign.submit", third, { person: DEMO_IDS.lotte });
    await eventually(async () => (await owners(database, third)).length === 1);
    expect(await owners(database, third)).toEqual([DEMO_IDS.lotte]);
  });

  it("the next retro reviews the actions with their owners", async () => {
    await openNextRetro(core);
    const review = await posted("action.done");
    const text = cardText(review.body.attachments[0].content);
    expect(text).toContain("Ahmed El Amrani");
    expect(text).toContain("Lotte Jansen");
    expect(cycle.id).toBeTruthy();
  });
});
