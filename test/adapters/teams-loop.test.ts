import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_FLAGS } from "../../src/domain/project-flags.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import type { CycleRecord } from "../../src/ports/retro-store.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { evaluateCheckpoints } from "../../src/use-cases/evaluate-checkpoints.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { adaptiveCardProblems, cardText, findByType } from "../support/adaptive-card-check.ts";
import { type FakeBotFramework, OUTBOUND_TOKEN, startFakeBotFramework } from "../support/fake-bot-framework.ts";
import { countWhere, insertRow, oneWhere, updateWhere } from "../support/fixtures.ts";
import {
  APP_ID,
  channelConversation,
  executeActivity,
  installActivity,
  messageActivity,
  personalConversation,
  postActivity,
  startTeamsServer,
  type TeamsPerson,
  type TeamsServer,
  teamsConfig,
} from "../support/teams-activities.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestCore, prompts } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const TENANT = "tenant-gemeente-demo";
const lotte: TeamsPerson = { aadObjectId: "aad-lotte", name: "Lotte Jansen", tenantId: TENANT };
const karin: TeamsPerson = { aadObjectId: "aad-karin", name: "Karin Visser", tenantId: TENANT };
const pim: TeamsPerson = { aadObjectId: "aad-pim", name: "Pim de Vries", tenantId: TENANT };

// The whole loop through Teams: real botbuilder CloudAdapter over HTTP, real core, database
// and queues; only Microsoft's token issuer and Bot Connector are local fakes.
describe("the learning loop in Microsoft Teams", () => {
  let database: TestDatabase;
  let fake: FakeBotFramework;
  let server: TeamsServer;
  let core: ReturnType<typeof createTestCore>;
  const invokeCards: unknown[] = [];

  const post = async (activity: Record<string, unknown>) => {
    const response = await postActivity(server.url, activity, fake.token({ appId: APP_ID }));
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  // Messages the bot posted in a conversation. botbuilder posts proactive messages as replies to
  // the continuation activity too, so both kinds count.
  const postsTo = (conversation: { id: string }) =>
    fake.calls.filter(
      (call) => call.conversationId === conversation.id && (call.kind === "reply" || call.kind === "send"),
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    fake = await startFakeBotFramework();
    server = await startTeamsServer(teamsConfig(fake, database.db));
    // A Monday morning: within working hours, so prompts go out at once.
    core = createTestCore(database, [server.teams.adapter]);
    await server.teams.adapter.start((event) => handleEvent(core.deps, event));
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
    // Every flag answered "no": one project is due for a nudge, as this test expects.
    await updateWhere(
      database.db,
      "Project",
      {},
      {
        flags: JSON.stringify(Object.fromEntries(PROJECT_FLAGS.map((flag) => [flag, false]))),
      },
    );
    // The demo organisation's Azure tenant, and Lotte and Karin's Teams accounts.
    await insertRow(database.db, "Install", {
      organisationId: DEMO_IDS.organisation,
      platform: "teams",
      tenantId: TENANT,
    });
    for (const [personId, person] of [
      [DEMO_IDS.lotte, lotte],
      [DEMO_IDS.karin, karin],
    ] as const) {
      await insertRow(database.db, "ChatIdentity", {
        personId,
        platform: "teams",
        tenantId: TENANT,
        platformUserId: person.aadObjectId,
      });
    }
  });

  afterAll(async () => {
    await server?.teams.adapter.stop();
    await server?.close();
    await core?.close();
    await fake?.close();
    await database?.drop();
  });

  it("installs in a personal chat and a team, storing both conversation references", async () => {
    expect((await post(installActivity(fake, lotte, personalConversation(lotte)))).status).toBe(200);
    // Teams has its 200 before the core runs: the welcome follows in a proactive turn.
    const welcome = await eventually(
      () => postsTo(personalConversation(lotte)).length > 0 && postsTo(personalConversation(lotte)),
    );
    expect(welcome).toHaveLength(1);
    expect(welcome[0]?.authorization).toBe(`Bearer ${OUTBOUND_TOKEN}`);
    const identity = await oneWhere(database.db, "ChatIdentity", {
      platform: "teams",
      platformUserId: lotte.aadObjectId,
    });
    expect(JSON.parse(identity.conversationRef ?? "{}").conversation.id).toBe(personalConversation(lotte).id);

    // Pim adds Leerlus to the team: he is new, and becomes known in the organisation.
    const team = channelConversation("innovatie");
    expect((await post(installActivity(fake, pim, team, "innovatie"))).status).toBe(200);
    await eventually(() => postsTo(team).length === 1);
    const person = await core.deps.stores.directory.personByIdentity("teams", TENANT, pim.aadObjectId);
    expect(person?.organisationId).toBe(DEMO_IDS.organisation);
    expect(person?.displayName).toBe("Pim de Vries");
  });

  it("answers a command typed after an @mention in a channel, and one in a personal chat", async () => {
    const team = channelConversation("innovatie");
    expect((await post(messageActivity(fake, lotte, team, "<at>Leerlus</at> help"))).status).toBe(200);
    const replies = await eventually(() => postsTo(team).length > 1 && postsTo(team).slice(1));
    expect(replies).toHaveLength(1);
    expect(cardText(replies[0]?.body.attachments[0].content)).toContain(prompts.t("nl", "help.title"));

    // Karin's first message reaches her direct conversation and stores it for later prompts.
    expect((await post(messageActivity(fake, karin, personalConversation(karin), "hulp"))).status).toBe(200);
    await eventually(() => postsTo(personalConversation(karin)).length === 1);
    const karinRecord = await core.deps.stores.directory.person(DEMO_IDS.karin);
    expect(karinRecord?.directs[0]?.platform).toBe("teams");
  });

  it("delivers the retro prompt proactively, and a submitted form replaces its card", async () => {
    const before = postsTo(personalConversation(lotte)).length;
    await advanceProject(core.deps, DEMO_IDS.pilot);
    const cycle = (await core.deps.stores.retro.latestCycle(DEMO_IDS.pilot)) as CycleRecord;
    const sent = await eventually(() => postsTo(personalConversation(lotte))[before]);
    const prompt = sent.body.attachments[0].content;
    expect(cardText(prompt)).toContain("Retro 1");
    const submit = findByType(prompt, "Action.Execute").find((action) => action.verb === "retro.answer");
    expect(submit).toBeDefined();
    const inputs = [...findByType(prompt, "Input.Text"), ...findByType(prompt, "Input.ChoiceSet")];
    expect(inputs.length).toBe(cycle.questions.nl.length);

    // Sent empty: the form comes back with the problems next to its fields, nothing saved.
    const refused = await post(
      executeActivity(fake, lotte, personalConversation(lotte), {
        verb: "retro.answer",
        data: submit?.data as Record<string, unknown>,
      }),
    );
    expect(refused.status).toBe(200);
    expect(refused.body.type).toBe("application/vnd.microsoft.card.adaptive");
    invokeCards.push(refused.body.value);
    expect(findByType(refused.body.value, "Action.Execute")).toHaveLength(1);
    expect(findByType(refused.body.value, "TextBlock").some((block) => block.color === "Attention")).toBe(true);
    expect(await countWhere(database.db, "Answer")).toBe(0);

    const answers = Object.fromEntries(
      inputs.map((input) => [input.id, input.type === "Input.ChoiceSet" ? "4" : `Lotte over ${input.id}: *niet* vet`]),
    );
    const accepted = await post(
      executeActivity(fake, lotte, personalConversation(lotte), {
        verb: "retro.answer",
        data: { ...(submit?.data as Record<string, unknown>), ...answers },
      }),
    );
    expect(accepted.status).toBe(200);
    expect(accepted.body.statusCode).toBe(200);
    invokeCards.push(accepted.body.value);
    // The confirmation replaces the form: it cannot be sent twice; Change answers opens it again, filled in.
    expect(findByType(accepted.body.value, "Action.Execute").map((action) => action.verb)).toEqual(["retro.open"]);
    expect(cardText(accepted.body.value)).toContain(prompts.t("nl", "retro.answer.saved", { closes: "" }).slice(0, 20));
    expect(await countWhere(database.db, "Answer")).toBe(cycle.questions.nl.length);
  });

  it("records a checkpoint decided with a card button", async () => {
    const before = postsTo(personalConversation(karin)).length;
    await evaluateCheckpoints(core.deps, DEMO_IDS.organisation);
    const nudge = await eventually(() => postsTo(personalConversation(karin))[before]);
    const done = findByType(nudge.body.attachments[0].content, "Action.Execute").find(
      (action) => action.verb === "checkpoint.done",
    );
    const data = done?.data as { leerlus: { value: string } };
    const pressed = await post(
      executeActivity(fake, karin, personalConversation(karin), { verb: "checkpoint.done", data }),
    );
    expect(pressed.status).toBe(200);
    // Done asks for an evidence note: a card with an input, posted into the chat.
    const formCard = await eventually(() => postsTo(personalConversation(karin))[before + 1]);
    const form = formCard.body.attachments[0].content;
    const submit = findByType(form, "Action.Execute").find((action) => action.verb === "checkpoint.done.submit");
    const note = findByType(form, "Input.Text")[0];
    expect(submit && note).toBeTruthy();
    const response = await post(
      executeActivity(fake, karin, personalConversation(karin), {
        verb: "checkpoint.done.submit",
        data: { ...(submit?.data as Record<string, unknown>), [String(note?.id)]: "Verslag gebruikerstest" },
      }),
    );
    expect(response.status).toBe(200);
    const checkpoint = await oneWhere(database.db, "Checkpoint", { id: data.leerlus.value });
    expect(checkpoint.status).toBe("done");
    expect(checkpoint.evidence).toBe("Verslag gebruikerstest");
  });

  it("sets up the team's channel as a project from the welcome card", async () => {
    const team = channelConversation("innovatie");
    const welcome = postsTo(team)[0]?.body.attachments[0].content;
    const setupButton = findByType(welcome, "Action.Execute").find((action) => action.verb === "setup.open");
    expect(setupButton).toBeTruthy();
    const before = postsTo(team).length;
    await post(
      executeActivity(fake, pim, team, { verb: "setup.open", data: setupButton?.data as Record<string, unknown> }),
    );
    const formCard = await eventually(() => postsTo(team)[before]);
    const form = formCard.body.attachments[0].content;
    const submit = findByType(form, "Action.Execute").find((action) => action.verb === "setup.submit");
    const pimRecord = await core.deps.stores.directory.personByIdentity("teams", TENANT, pim.aadObjectId);
    const response = await post(
      executeActivity(fake, pim, team, {
        verb: "setup.submit",
        data: {
          ...(submit?.data as Record<string, unknown>),
          name: "Innovatieteam wijken",
          phase: "explore",
          cadence: "elke 2 weken donderdag 15:00",
          lead: pimRecord?.id,
        },
      }),
    );
    expect(response.status).toBe(200);
    const project = await eventually(() =>
      database.prisma.project.findFirst({ where: { name: "Innovatieteam wijken" }, include: { channels: true } }),
    );
    expect(JSON.parse(project?.channels[0]?.conversationRef ?? "{}").conversation.id).toBe(team.id);
  });

  it("answers a message Teams delivers twice only once", async () => {
    const conversation = personalConversation(karin);
    const before = postsTo(conversation).length;
    const activity = { ...messageActivity(fake, karin, conversation, "help"), id: "activity-delivered-twice" };
    expect((await post(activity)).status).toBe(200);
    // The second delivery is recognised before Teams gets its 200: it is never handled.
    expect((await post(activity)).status).toBe(200);
    await eventually(async () => {
      const row = await database.prisma.receivedEvent.findFirst({
        where: { eventKey: { endsWith: ":activity-delivered-twice" } },
      });
      return row?.status === "done";
    });
    expect(postsTo(conversation).length).toBe(before + 1);
  });

  it("refuses a malformed activity with 400", async () => {
    const token = fake.token({ appId: APP_ID });
    expect((await postActivity(server.url, { type: 5, text: "help" }, token)).status).toBe(400);
    expect((await postActivity(server.url, { type: "message" }, token)).status).toBe(400);
    expect((await postActivity(server.url, "{not json", token)).status).toBe(400);
  });

  it("produced only cards the Adaptive Cards library accepts", () => {
    const cards = [...fake.cards(), ...invokeCards];
    expect(cards.length).toBeGreaterThan(5);
    for (const card of cards) expect(adaptiveCardProblems(card)).toEqual([]);
  });
});
