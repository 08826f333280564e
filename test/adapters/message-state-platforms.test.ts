// Every message shows its state in Slack and Teams: a lesson saved from the summary in the
// team's channel rewrites that summary (Slack chat.update, Teams invoke response card and
// activity update) to say who saved it, with Undo in place of the buttons; its repeated buttons are
// named after their lesson (accessibility_label, tooltip). Real Bolt and
// botbuilder over HTTP, the real core on its own database; only Slack's and Microsoft's
// servers are local fakes.
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conversationRef, parseSentRef } from "../../adapters/slack/conversation-ref.ts";
import type { SlackAdapter } from "../../adapters/slack/create-slack-adapter.ts";
import { referenceOf } from "../../adapters/teams/activity-to-event.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { adaptiveCardProblems, cardText, findByType } from "../support/adaptive-card-check.ts";
import { callProblems } from "../support/block-kit-limits.ts";
import { closedPilotRetro } from "../support/demo-answers.ts";
import { type FakeBotFramework, startFakeBotFramework } from "../support/fake-bot-framework.ts";
import { type FakeSlackApi, startFakeSlackApi } from "../support/fake-slack-api.ts";
import { closeServer, listenApp } from "../support/listen-app.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { FORM, interactiveBody, postSigned } from "../support/slack-requests.ts";
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
import { createTestCore, prompts } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const nl = (key: string, vars?: Record<string, string | number>) => prompts.t("nl", key, vars);

/** The pilot's first retro, answered and closed: the summary proposes lessons. Their ids, oldest first. */
async function closedRetro(core: ReturnType<typeof createTestCore>, database: TestDatabase): Promise<string[]> {
  const cycle = await closedPilotRetro(core.deps, core.clock, () =>
    database.prisma.project.update({ where: { id: DEMO_IDS.implementation }, data: { active: false } }),
  );
  const lessons = await database.prisma.lesson.findMany({
    where: { cycleId: cycle.id },
    orderBy: { createdAt: "asc" },
  });
  return lessons.map((lesson) => lesson.id);
}

/** The name the web chat gives a button repeated per lesson: its label and the lesson's first six words. */
async function buttonNames(database: TestDatabase, lessons: string[]): Promise<Map<string, string>> {
  const rows = await database.prisma.lesson.findMany({ where: { id: { in: lessons } } });
  expect(rows.length).toBeGreaterThan(1);
  const firstWords = (text: string) => {
    const words = text.trim().split(/\s+/);
    return words.length > 6 ? `${words.slice(0, 6).join(" ")}…` : words.join(" ");
  };
  return new Map(rows.map((row) => [row.id, firstWords(row.text)]));
}

describe("message state in Slack", () => {
  const SECRET = "slack-signing-secret-for-tests";
  const TEAM = "T0LEERLUS";
  const CHANNEL = "C0PILOT";
  let database: TestDatabase;
  let fake: FakeSlackApi;
  let slack: SlackAdapter;
  let core: ReturnType<typeof createTestCore>;
  let server: Server;
  let base: string;
  let lessons: string[];
  let summaryTs: string;
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
        container: { type: "message", message_ts: summaryTs, channel_id: CHANNEL, is_ephemeral: false },
        channel: { id: CHANNEL },
        message: { ts: summaryTs, type: "message", text: "samenvatting" },
        actions: [{ type: "button", action_id: actionId, block_id: "b1", value, action_ts: "1" }],
      }),
      FORM,
      { secret: SECRET },
    );
  const responses = (n: number) => fake.callsTo("respond").filter((call) => call.args.responseUrlId === `click-${n}`);
  const updatesOfSummary = () => fake.callsTo("chat.update").filter((call) => call.args.ts === summaryTs);
  type SlackBlock = { type: string; elements?: { action_id?: string; value?: string; text?: unknown }[] };
  const blocksOf = (call: { args: Record<string, unknown> }) => call.args.blocks as SlackBlock[];
  const buttonsFor = (blocks: SlackBlock[], value: string) =>
    blocks.flatMap((block) => block.elements ?? []).filter((element) => element.value === value);

  beforeAll(async () => {
    database = await createTestDatabase();
    fake = await startFakeSlackApi({ id: TEAM, name: "Gemeente Demo" });
    fake.users.set("USANNE", { id: "USANNE", name: "Sanne de Vries", locale: "nl-NL" });
    fake.users.set("ULOTTE", { id: "ULOTTE", name: "Lotte Jansen", locale: "nl-NL" });
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
    for (const [personId, userId] of [
      [DEMO_IDS.sanne, "USANNE"],
      [DEMO_IDS.lotte, "ULOTTE"],
    ] as const) {
      await database.prisma.chatIdentity.create({
        data: { personId, platform: "slack", tenantId: TEAM, platformUserId: userId },
      });
    }
    await database.prisma.projectChannel.create({
      data: { projectId: DEMO_IDS.pilot, platform: "slack", conversationRef: conversationRef(TEAM, CHANNEL) },
    });
    lessons = await closedRetro(core, database);
    const row = await eventually(async () => {
      const found = await database.prisma.outboxMessage.findFirst({
        where: { key: { startsWith: "summary:" }, platform: "slack" },
      });
      return found?.sentRef ? found : undefined;
    });
    summaryTs = parseSentRef(row.sentRef as string)?.ts ?? "";
  });

  afterAll(async () => {
    await slack?.adapter.stop();
    await closeServer(server);
    await core?.close();
    await fake?.close();
    await database?.drop();
  });

  it("names each lesson's repeated buttons after it: accessibility_label '<label>: <first words>'", async () => {
    const items = await buttonNames(database, lessons);
    const summary = await eventually(() =>
      fake
        .callsTo("chat.postMessage")
        .find((call) => call.args.channel === CHANNEL && JSON.stringify(call.args.blocks).includes("lesson.confirm")),
    );
    type Element = { value?: string; accessibility_label?: string; text?: { text: string } };
    const buttons = (summary.args.blocks as { elements?: Element[] }[])
      .flatMap((block) => block.elements ?? [])
      .filter((element) => items.has(element.value ?? ""));
    expect(buttons).toHaveLength(items.size * 2);
    for (const button of buttons) {
      const name = `${button.text?.text}: ${items.get(button.value ?? "")}`;
      // Slack reads at most 75 characters: a longer name is cut, never dropped.
      expect(button.accessibility_label).toBe(name.length <= 75 ? name : `${name.slice(0, 74)}…`);
    }
    expect(callProblems([summary])).toEqual([]);
  });

  it("saving a lesson rewrites the summary with chat.update: who saved it, Undo instead of the buttons", async () => {
    const [lesson = ""] = lessons;
    expect((await click("USANNE", "lesson.confirm", lesson)).status).toBe(200);
    const update = await eventually(() => updatesOfSummary()[0]);
    expect(update.args.channel).toBe(CHANNEL);
    const blocks = blocksOf(update);
    expect(buttonsFor(blocks, lesson).map((button) => button.action_id)).toEqual(["lesson.undo"]);
    expect(JSON.stringify(blocks)).toContain("Bewaard als les door");
    expect(JSON.stringify(blocks)).toContain("Sanne de Vries");
    // Other lessons keep their buttons.
    expect(buttonsFor(blocks, lessons[1] ?? "").map((button) => button.action_id)).toEqual([
      "lesson.confirm",
      "lesson.dismiss",
    ]);
    // The confirmation is Sanne's alone; the summary itself is not posted again.
    const n = seq;
    const [confirmation] = await eventually(() => responses(n).length > 0 && responses(n));
    expect(confirmation?.args.response_type).toBe("ephemeral");
    expect(callProblems(fake.callsTo("chat.update"))).toEqual([]);
  });

  it("a second click on the saved lesson explains who saved it, with Undo, and changes nothing", async () => {
    const [lesson = ""] = lessons;
    expect((await click("USANNE", "lesson.dismiss", lesson)).status).toBe(200);
    const n = seq;
    const [explanation] = await eventually(() => responses(n).length > 0 && responses(n));
    expect(explanation?.args.response_type).toBe("ephemeral");
    const text = JSON.stringify(explanation?.args.blocks);
    expect(text).toContain("heeft dit al als les bewaard");
    expect(text).toContain("lesson.undo");
    expect((await database.prisma.lesson.findUniqueOrThrow({ where: { id: lesson } })).status).toBe("confirmed");
  });

  it("Undo brings the buttons back in the summary", async () => {
    const [lesson = ""] = lessons;
    const before = updatesOfSummary().length;
    await click("USANNE", "lesson.undo", lesson);
    const update = await eventually(() => updatesOfSummary()[before]);
    expect(buttonsFor(blocksOf(update), lesson).map((button) => button.action_id)).toEqual([
      "lesson.confirm",
      "lesson.dismiss",
    ]);
  });

  it("a member pressing a lead-only button gets an ephemeral explanation; the summary stays as it is", async () => {
    const before = updatesOfSummary().length;
    await click("ULOTTE", "lesson.confirm", lessons[1] ?? "");
    const n = seq;
    const [refusal] = await eventually(() => responses(n).length > 0 && responses(n));
    expect(refusal?.args.response_type).toBe("ephemeral");
    expect(JSON.stringify(refusal?.args)).toContain(nl("errors.lead-only-lessons").slice(0, 30));
    expect(updatesOfSummary()).toHaveLength(before);
  });
});

describe("message state in Teams", () => {
  const TENANT = "tenant-gemeente-demo";
  const sanne: TeamsPerson = { aadObjectId: "aad-sanne", name: "Sanne de Vries", tenantId: TENANT };
  const team = channelConversation("pilot");
  let database: TestDatabase;
  let fake: FakeBotFramework;
  let server: TeamsServer;
  let core: ReturnType<typeof createTestCore>;
  let lessons: string[];
  let summaryId: string;
  let summaryCard: unknown;

  const post = async (activity: Record<string, unknown>) => {
    const response = await postActivity(server.url, activity, fake.token({ appId: APP_ID }));
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const actionData = (card: unknown, verb: string, value: string) => {
    const action = findByType(card, "Action.Execute").find(
      (candidate) =>
        candidate.verb === verb && (candidate.data as { leerlus?: { value?: string } }).leerlus?.value === value,
    );
    if (!action) throw new Error(`no ${verb} for ${value}`);
    return action.data as Record<string, unknown>;
  };

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
    await database.prisma.chatIdentity.create({
      data: { personId: DEMO_IDS.sanne, platform: "teams", tenantId: TENANT, platformUserId: sanne.aadObjectId },
    });
    const channelRef = referenceOf(installActivity(fake, sanne, team, "pilot") as never);
    await database.prisma.projectChannel.create({
      data: { projectId: DEMO_IDS.pilot, platform: "teams", conversationRef: channelRef },
    });
    lessons = await closedRetro(core, database);
    const sent = await eventually(() =>
      fake.calls.find(
        (call) =>
          call.conversationId === team.id &&
          (call.kind === "send" || call.kind === "reply") &&
          JSON.stringify(call.body).includes("lesson.confirm"),
      ),
    );
    summaryId = sent.activityId as string;
    summaryCard = sent.body.attachments[0].content;
  });

  afterAll(async () => {
    await server?.teams.adapter.stop();
    await server?.close();
    await core?.close();
    await fake?.close();
    await database?.drop();
  });

  it("names each lesson's repeated actions after it: a tooltip '<label>: <first words>', in a valid card", async () => {
    const items = await buttonNames(database, lessons);
    expect(adaptiveCardProblems(summaryCard)).toEqual([]);
    const actions = findByType(summaryCard, "Action.Execute").filter((action) =>
      items.has((action.data as { leerlus?: { value?: string } }).leerlus?.value ?? ""),
    );
    expect(actions).toHaveLength(items.size * 2);
    for (const action of actions) {
      const value = (action.data as { leerlus: { value: string } }).leerlus.value;
      const name = `${action.title}: ${items.get(value)}`;
      expect(action.tooltip).toBe(name);
      // Clients that predate Action.Execute get the same name on the fallback.
      expect((action.fallback as { tooltip?: string }).tooltip).toBe(name);
    }
  });

  it("Action.Execute on Save answers with the refreshed card: who saved it, Undo instead of the buttons", async () => {
    const [lesson = ""] = lessons;
    const data = actionData(summaryCard, "lesson.confirm", lesson);
    const answered = await post(executeActivity(fake, sanne, team, { verb: "lesson.confirm", data }, summaryId));
    expect(answered.status).toBe(200);
    expect(answered.body.type).toBe("application/vnd.microsoft.card.adaptive");
    const card = answered.body.value;
    expect(adaptiveCardProblems(card)).toEqual([]);
    expect(cardText(card)).toContain("Bewaard als les door Sanne de Vries");
    const forLesson = findByType(card, "Action.Execute").filter(
      (action) => (action.data as { leerlus?: { value?: string } }).leerlus?.value === lesson,
    );
    expect(forLesson.map((action) => action.verb)).toEqual(["lesson.undo"]);
    // Everyone else's copy of the card is updated too.
    const update = await eventually(() =>
      fake.calls.find((call) => call.kind === "update" && call.activityId === summaryId),
    );
    expect(cardText(update.body.attachments[0].content)).toContain("Bewaard als les door Sanne de Vries");
  });

  it("a second click from a card that had not caught up explains, with Undo, and keeps the lesson saved", async () => {
    const [lesson = ""] = lessons;
    const data = actionData(summaryCard, "lesson.dismiss", lesson);
    const answered = await post(executeActivity(fake, sanne, team, { verb: "lesson.dismiss", data }, summaryId));
    expect(answered.status).toBe(200);
    // The invoke gets the card as it reads now; the explanation follows in the conversation.
    expect(cardText(answered.body.value)).toContain("Bewaard als les door Sanne de Vries");
    const explanation = await eventually(() =>
      fake.calls.find(
        (call) => call.conversationId === team.id && JSON.stringify(call.body).includes("heeft dit al als les bewaard"),
      ),
    );
    expect(JSON.stringify(explanation.body)).toContain("lesson.undo");
    expect((await database.prisma.lesson.findUniqueOrThrow({ where: { id: lesson } })).status).toBe("confirmed");
  });
});
