import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { adaptiveCardProblems, cardText, findByType } from "../support/adaptive-card-check.ts";
import { answersOf } from "../support/demo-answers.ts";
import { type FakeBotFramework, startFakeBotFramework } from "../support/fake-bot-framework.ts";
import {
  APP_ID,
  executeActivity,
  messageActivity,
  personalConversation,
  postActivity,
  startTeamsServer,
  type TeamsPerson,
  type TeamsServer,
  teamsConfig,
} from "../support/teams-activities.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestCore } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const TENANT = "tenant-gemeente-demo";
const lotte: TeamsPerson = { aadObjectId: "aad-lotte", name: "Lotte Jansen", tenantId: TENANT };

type Card = Record<string, unknown> & { refresh?: { action: { verb: string; data: Record<string, unknown> } } };

// Issue #22 in Teams: real botbuilder CloudAdapter over HTTP; only Microsoft's token issuer and
// Bot Connector are local fakes. The retro card refreshes to the person's current answers, and
// text typed in the personal chat is an answer.
describe("answers in Teams: prefilled card on refresh and typed answers", () => {
  let database: TestDatabase;
  let fake: FakeBotFramework;
  let server: TeamsServer;
  let core: ReturnType<typeof createTestCore>;
  let cycleId: string;
  let prompt: Card;
  const chat = personalConversation(lotte);
  const cards: unknown[] = [];

  const post = async (activity: Record<string, unknown>) => {
    const response = await postActivity(server.url, activity, fake.token({ appId: APP_ID }));
    const text = await response.text();
    await eventually(async () => (await database.db.receivedEvent.count({ where: { status: "pending" } })) === 0);
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const posts = () =>
    fake.calls.filter((call) => call.conversationId === chat.id && (call.kind === "reply" || call.kind === "send"));
  const stored = () => answersOf(database.db, core.deps.secret, cycleId, DEMO_IDS.lotte);
  /** What Teams sends when it shows a card that has a refresh: its refresh action, triggered automatically. */
  const refresh = (card: Card) => {
    const action = card.refresh?.action;
    if (!action) throw new Error("the card has no refresh");
    const activity = executeActivity(fake, lotte, chat, { verb: action.verb, data: action.data });
    return post({ ...activity, value: { ...activity.value, trigger: "automatic" } });
  };
  const inputValue = (card: unknown, id: string) =>
    [...findByType(card, "Input.Text"), ...findByType(card, "Input.ChoiceSet")].find((input) => input.id === id)?.value;

  beforeAll(async () => {
    database = await createTestDatabase();
    fake = await startFakeBotFramework();
    server = await startTeamsServer(teamsConfig(fake, database.db));
    core = createTestCore(database, [server.teams.adapter]);
    await server.teams.adapter.start((event) => handleEvent(core.deps, event));
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
    await database.db.install.create({
      data: { organisationId: DEMO_IDS.organisation, platform: "teams", tenantId: TENANT },
    });
    await database.db.chatIdentity.create({
      data: { personId: DEMO_IDS.lotte, platform: "teams", tenantId: TENANT, platformUserId: lotte.aadObjectId },
    });
    // Her first message stores her personal chat, where the retro prompt then arrives.
    await post(messageActivity(fake, lotte, chat, "hulp"));
    const before = posts().length;
    await advanceProject(core.deps, DEMO_IDS.pilot);
    cycleId = (await database.db.retroCycle.findFirstOrThrow({ where: { projectId: DEMO_IDS.pilot, status: "open" } }))
      .id;
    prompt = (await eventually(() => posts()[before])).body.attachments[0].content as Card;
    cards.push(prompt);
  });

  afterAll(async () => {
    await server?.teams.adapter.stop();
    await server?.close();
    await core?.close();
    await fake?.close();
    await database?.drop();
  });

  it("text typed in the personal chat is the answer to the first open question, with Undo", async () => {
    const before = posts().length;
    expect((await post(messageActivity(fake, lotte, chat, "Bewoners *melden* vaker."))).status).toBe(200);
    expect(await stored()).toEqual({ practice: "Bewoners *melden* vaker." });
    const confirmation = (await eventually(() => posts()[before])).body.attachments[0].content;
    cards.push(confirmation);
    expect(cardText(confirmation)).toMatch(/Bewaard als je antwoord op "Wat heeft de pilot/);
    expect(findByType(confirmation, "Action.Execute").map((action) => action.verb)).toContain("retro.undo");
  });

  it("the same activity delivered again by Teams stores the answer once", async () => {
    const activity = { ...messageActivity(fake, lotte, chat, "Nog een zin over de app."), id: "activity-typed-2" };
    const before = posts().length;
    await post(activity);
    await post(activity);
    expect((await stored()).evidence).toBe("Nog een zin over de app.");
    expect(await database.db.formInstance.count({ where: { kind: "typed" } })).toBe(2);
    expect(
      posts()
        .slice(before)
        .filter((call) => cardText(call.body.attachments[0].content).includes("Bewaard")),
    ).toHaveLength(1);
    // Undone again, so the next steps start from the first answer alone.
    const undo = findByType(posts().at(-1)?.body.attachments[0].content, "Action.Execute").find(
      (action) => action.verb === "retro.undo",
    );
    await post(executeActivity(fake, lotte, chat, { verb: "retro.undo", data: undo?.data as Record<string, unknown> }));
    expect((await stored()).evidence).toBeUndefined();
  });

  it("the retro card carries a refresh, and refreshed it is the form filled with the current answers", async () => {
    expect(prompt.refresh?.action.verb).toBe("retro.open");
    // As sent to the whole team, the card is empty.
    expect(inputValue(prompt, "practice")).toBeUndefined();
    const refreshed = await refresh(prompt);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.type).toBe("application/vnd.microsoft.card.adaptive");
    const card = refreshed.body.value as Card;
    cards.push(card);
    expect(inputValue(card, "practice")).toBe("Bewoners *melden* vaker.");
    expect(card.refresh?.action.verb).toBe("retro.open");
    // A refresh answers in place: nothing is posted into the chat.
    const before = posts().length;
    await refresh(prompt);
    expect(posts()).toHaveLength(before);
  });

  it("the refreshed form sent with one answer added keeps the typed one; emptying it clears it", async () => {
    const card = (await refresh(prompt)).body.value as Card;
    const submit = findByType(card, "Action.Execute").find((action) => action.verb === "retro.answer");
    const data = submit?.data as Record<string, unknown>;
    const shown = {
      practice: "Bewoners *melden* vaker.",
      evidence: "Meldingen +40%.",
      "after-pilot": "Eigenaar gezocht.",
      "learning-score": "4",
    };
    const accepted = await post(
      executeActivity(fake, lotte, chat, { verb: "retro.answer", data: { ...data, ...shown } }),
    );
    cards.push(accepted.body.value);
    expect(cardText(accepted.body.value)).toMatch(/Bijgewerkt: "Waaruit blijkt.*", "Wat doen we nu al/);
    expect(await stored()).toEqual(shown);

    const again = (await refresh(prompt)).body.value as Card;
    const resend = findByType(again, "Action.Execute").find((action) => action.verb === "retro.answer");
    const cleared = await post(
      executeActivity(fake, lotte, chat, {
        verb: "retro.answer",
        data: { ...(resend?.data as Record<string, unknown>), ...shown, evidence: "", "learning-score": "5" },
      }),
    );
    expect(cardText(cleared.body.value)).toMatch(/Bijgewerkt: "Hoe goed/);
    expect(cardText(cleared.body.value)).toMatch(/Gewist: "Waaruit blijkt/);
    expect((await stored())["learning-score"]).toBe("5");
    expect((await stored()).evidence).toBeUndefined();
    expect((await stored()).practice).toBe("Bewoners *melden* vaker.");
  });

  it("Change answers on the confirmation shows the filled-in form in place", async () => {
    const [confirmation] = cards.slice(-1);
    const change = findByType(confirmation, "Action.Execute").find((action) => action.verb === "retro.open");
    const pressed = await post(
      executeActivity(fake, lotte, chat, { verb: "retro.open", data: change?.data as Record<string, unknown> }),
    );
    expect(pressed.body.type).toBe("application/vnd.microsoft.card.adaptive");
    expect(inputValue(pressed.body.value, "learning-score")).toBe("5");
  });

  it("sent only Adaptive Cards that Teams accepts", () => {
    for (const card of cards) expect(adaptiveCardProblems(card)).toEqual([]);
  });
});
