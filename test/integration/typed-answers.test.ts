import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import { type Button, type Message, plain } from "../../src/domain/message.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { erasePersonalData } from "../../src/use-cases/privacy.ts";
import { responseKeyFor } from "../../src/use-cases/submit-answers.ts";
import { answersOf } from "../support/demo-answers.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { createTestCore } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const textOf = (messages: Message[]) =>
  messages
    .flatMap((m) => m.blocks)
    .map((b) => ("text" in b ? plain(b.text) : b.type === "list" ? b.items.map(plain).join("; ") : ""))
    .join("\n");
const buttons = (messages: Message[]): Button[] =>
  messages.flatMap((m) => m.blocks).flatMap((b) => (b.type === "actions" ? b.buttons : []));
const button = (messages: Message[], actionId: string): Button => {
  const found = buttons(messages).find((b) => b.actionId === actionId);
  if (!found) throw new Error(`no ${actionId} button in: ${textOf(messages)}`);
  return found;
};

describe("typing answers in a direct conversation", () => {
  let database: TestDatabase;
  let core: ReturnType<typeof createTestCore>;
  let cycleId: string;
  const web = (id: string, conversationRef = `web:dm:${id}`) => ({
    platform: "web" as const,
    tenantId: DEMO_IDS.organisation,
    platformUserId: id,
    conversationRef,
  });
  const handle = (event: InboundEvent) => handleEvent(core.deps, event);
  const type = (id: string, text: string, direct = true) =>
    handle({ ...web(id, direct ? `web:dm:${id}` : `web:channel:${DEMO_IDS.pilot}`), type: "command", text, direct });
  const press = (id: string, b: Button) => handle({ ...web(id), type: "action", actionId: b.actionId, value: b.value });
  const stored = (id: string) => answersOf(database.db, core.deps.secret, cycleId, id);

  beforeAll(async () => {
    database = await createTestDatabase();
    core = createTestCore(database, [createRecordingAdapter("web")]);
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
  });

  afterAll(async () => {
    await core?.close();
    await database?.drop();
  });

  it("with no retro open, a sentence gets a reply that does not cut it off and says why it was not saved", async () => {
    const sentence = "Ik vond de sessie met bewoners heel waardevol, vooral het gesprek over de app";
    const replies = await type(DEMO_IDS.sanne, sentence);
    expect(textOf(replies)).toMatch(/geen opdracht die ik ken, en er staat nu geen retro voor je open/);
    expect(textOf(replies)).not.toMatch(/Ik ken de opdracht "Ik vond de sessie/);
  });

  it("while a retro is open, a sentence is the answer to the first open question, with undo", async () => {
    await advanceProject(core.deps, DEMO_IDS.pilot);
    cycleId = (await database.db.retroCycle.findFirstOrThrow({ where: { projectId: DEMO_IDS.pilot, status: "open" } }))
      .id;
    const replies = await type(DEMO_IDS.sanne, "Bewoners gebruiken de app vooral 's avonds.");
    expect(textOf(replies)).toMatch(
      /^Bewaard als je antwoord op "Wat heeft de pilot ons in de praktijk geleerd.*" \(Slimme straatreiniging\)\.$/m,
    );
    expect(await stored(DEMO_IDS.sanne)).toEqual({ practice: "Bewoners gebruiken de app vooral 's avonds." });
    const second = await type(DEMO_IDS.sanne, "Meldingen +40%.");
    expect(textOf(second)).toMatch(/"Waaruit blijkt nu dat het publieke waarde oplevert\?"/);
    expect((await stored(DEMO_IDS.sanne)).evidence).toBe("Meldingen +40%.");

    const undone = await press(DEMO_IDS.sanne, button(second, "retro.undo"));
    expect(textOf(undone)).toMatch(/Ongedaan gemaakt: je antwoord op "Waaruit blijkt/);
    expect(await stored(DEMO_IDS.sanne)).toEqual({ practice: "Bewoners gebruiken de app vooral 's avonds." });
    expect(textOf(await press(DEMO_IDS.sanne, button(second, "retro.undo")))).toMatch(/al ongedaan gemaakt/);
  });

  it("the same message handled again (a retry after a failure) is one answer, not the next question's too", async () => {
    const event = {
      ...web(DEMO_IDS.mark),
      type: "command" as const,
      text: "Eén keer opgeslagen.",
      direct: true,
      eventKey: "slack:T1:Ev-retried",
    };
    await database.db.membership.create({
      data: { projectId: DEMO_IDS.pilot, personId: DEMO_IDS.mark, role: "member" },
    });
    await database.db.delivery.create({ data: { cycleId, personId: DEMO_IDS.mark } });
    const first = await handle(event);
    const again = await handle(event);
    expect(textOf(again)).toBe(textOf(first));
    expect(await stored(DEMO_IDS.mark)).toEqual({ practice: "Eén keer opgeslagen." });
  });

  it("someone else's undo button changes nothing", async () => {
    const replies = await type(DEMO_IDS.sanne, "Opnieuw bewijs.");
    const undo = button(replies, "retro.undo");
    await press(DEMO_IDS.ahmed, undo);
    expect((await stored(DEMO_IDS.sanne)).evidence).toBe("Opnieuw bewijs.");
  });

  it("commands still win over free text", async () => {
    const replies = await type(DEMO_IDS.sanne, "acties");
    expect(textOf(replies)).not.toMatch(/Bewaard als je antwoord/);
    expect(Object.keys(await stored(DEMO_IDS.sanne))).not.toContain("after-pilot");
  });

  it("in a shared channel nothing is saved: the reply points to the direct conversation", async () => {
    const replies = await type(DEMO_IDS.sanne, "Dit zeg ik in het teamkanaal.", false);
    expect(textOf(replies)).toMatch(/alleen uit een privébericht/);
    expect(Object.values(await stored(DEMO_IDS.sanne))).not.toContain("Dit zeg ik in het teamkanaal.");
  });

  it("question by question: each next question is asked, a score must be a number, later puts it off", async () => {
    const first = await type(DEMO_IDS.lotte, "vraag voor vraag");
    expect(textOf(first)).toMatch(/^Vraag 1 van 5 \(Slimme straatreiniging\): Wat heeft de pilot/m);
    const next = await type(DEMO_IDS.lotte, "Het werkt.");
    expect(textOf(next)).toMatch(/Bewaard als je antwoord op "Wat heeft de pilot/);
    expect(textOf(next)).toMatch(/Vraag 2 van 5 \(Slimme straatreiniging\): Waaruit blijkt/);
    await type(DEMO_IDS.lotte, "Cijfers.");
    await type(DEMO_IDS.lotte, "Eigenaar gevonden.");
    const fourth = await type(DEMO_IDS.lotte, "Goed.");
    expect(textOf(fourth)).toMatch(/Vraag 5 van 5 .*Hoe goed hebben we/);
    expect(textOf(await type(DEMO_IDS.lotte, "best goed"))).toMatch(/hoort een cijfer van 1 tot en met 5/);
    const later = await press(DEMO_IDS.lotte, button(fourth, "retro.later"));
    expect(textOf(later)).toMatch(/Goed, ik vraag het later nog eens: .* krijg je een herinnering/);
    // Put off: a sentence now answers the first open question again, without asking the next one.
    const done = await type(DEMO_IDS.lotte, "4");
    expect(textOf(done)).toMatch(/Bewaard als je antwoord op "Hoe goed/);
    expect(await stored(DEMO_IDS.lotte)).toMatchObject({ "learning-score": "4", practice: "Het werkt." });
    expect(textOf(await type(DEMO_IDS.lotte, "Nog iets"))).toMatch(
      /alle vragen van Slimme straatreiniging al beantwoord/,
    );
  });

  it("the reminder also goes to someone who answered part and chose later", async () => {
    const adapter = core.deps;
    await type(DEMO_IDS.ahmed, "vraag voor vraag");
    await type(DEMO_IDS.ahmed, "Deels beantwoord.");
    await type(DEMO_IDS.ahmed, "later");
    const cycle = await database.db.retroCycle.findUniqueOrThrow({ where: { id: cycleId } });
    core.clock.set(new Date(cycle.remindsAt.getTime() + 1000));
    await advanceProject(adapter, DEMO_IDS.pilot);
    const reminders = await database.db.outboxMessage.findMany({
      where: { key: { startsWith: `reminder:${cycleId}:` } },
    });
    expect(reminders.map((r) => r.key)).toContain(`reminder:${cycleId}:${DEMO_IDS.ahmed}`);
    expect(reminders.map((r) => r.key)).not.toContain(`reminder:${cycleId}:${DEMO_IDS.sanne}`);
  });

  it("erasing a person removes what was kept to undo their typed answers", async () => {
    const delivery = await database.db.delivery.findFirstOrThrow({ where: { cycleId, personId: DEMO_IDS.lotte } });
    const key = responseKeyFor(core.deps.secret, delivery.id);
    expect(await database.db.formInstance.count({ where: { ownerKey: key } })).toBeGreaterThan(0);
    await erasePersonalData(core.deps, DEMO_IDS.lotte, DEMO_IDS.lotte);
    expect(await database.db.formInstance.count({ where: { ownerKey: key } })).toBe(0);
  });

  it("in an anonymous project a typed answer is stored without a name", async () => {
    await database.db.project.update({ where: { id: DEMO_IDS.pilot }, data: { anonymous: true } });
    const replies = await type(DEMO_IDS.emma, "Zonder naam getypt antwoord.");
    expect(textOf(replies)).toMatch(/Saved as your answer/);
    const row = await database.db.answer.findFirstOrThrow({ where: { text: "Zonder naam getypt antwoord." } });
    expect(row.personId).toBeNull();
  });
});
