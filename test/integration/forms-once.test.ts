import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import type { Message } from "../../src/domain/message.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { countWhere, oneWhere } from "../support/fixtures.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { createTestCore } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const form = (messages: Message[]) => {
  const block = messages.flatMap((m) => m.blocks).find((b) => b.type === "form");
  if (block?.type !== "form") throw new Error("no setup form");
  return block;
};
const answers = (name: string) => ({
  name,
  phase: "explore",
  cadence: "elke 2 weken donderdag 15:00",
  lead: DEMO_IDS.lotte,
});

describe("forms act once: a form sent twice acts once", () => {
  let database: TestDatabase;
  let core: ReturnType<typeof createTestCore>;
  const handle = (event: InboundEvent) => handleEvent(core.deps, event);
  const web = (conversationRef = `web:dm:${DEMO_IDS.lotte}`) => ({
    platform: "web" as const,
    tenantId: DEMO_IDS.organisation,
    platformUserId: DEMO_IDS.lotte,
    conversationRef,
  });
  const openForm = async (conversationRef?: string) =>
    form(await handle({ ...web(conversationRef), type: "command", text: "opzetten" }));
  const submit = (setup: Awaited<ReturnType<typeof openForm>>, name: string, conversationRef?: string) =>
    handle({
      ...web(conversationRef),
      type: "formSubmitted",
      actionId: setup.submit.actionId,
      value: setup.submit.value,
      answers: answers(name),
    });
  const named = (name: string) =>
    database.prisma.project.count({ where: { name: { equals: name, mode: "insensitive" } } });

  beforeAll(async () => {
    database = await createTestDatabase();
    core = createTestCore(database, [createRecordingAdapter("web")]);
    await seedDemo(database.db, { now: core.clock.now(), fast: false });
  });

  afterAll(async () => {
    await core?.close();
    await database?.drop();
  });

  it("the same form sent twice creates one project; the second send says it already exists", async () => {
    const setup = await openForm();
    const first = await submit(setup, "Dubbele klik");
    expect(first[0]?.fallback).toMatch(/Dubbele klik is opgezet/);
    const second = await submit(setup, "Dubbele klik");
    expect(second[0]?.fallback).toMatch(/Dit project is al aangemaakt: Dubbele klik/);
    expect(await named("Dubbele klik")).toBe(1);
  });

  it("the same form sent twice at once still creates one project, and both sends get a friendly reply", async () => {
    const setup = await openForm();
    const replies = await Promise.all([submit(setup, "Tegelijk verstuurd"), submit(setup, "Tegelijk verstuurd")]);
    const texts = replies.map((r) => r[0]?.fallback ?? "").sort();
    expect(texts[0]).toMatch(/Dit project is al aangemaakt: Tegelijk verstuurd/);
    expect(texts[1]).toMatch(/Tegelijk verstuurd is opgezet/);
    expect(await named("Tegelijk verstuurd")).toBe(1);
  });

  it("another form with a name already in use is refused next to the name field, naming the name inertly", async () => {
    await submit(await openForm(), "Zelfde naam");
    const refused = await submit(await openForm(), "zelfde NAAM");
    expect(refused[0]?.fieldErrors?.name).toMatch(/Er is al een project met de naam zelfde NAAM/);
    expect(refused[0]?.fallback).toMatch(/zelfde NAAM/);
    expect(await named("Zelfde naam")).toBe(1);
    const evil = "*vet* <https://evil.example|klik>";
    await submit(await openForm(), evil);
    const again = await submit(await openForm(), evil);
    const paragraphs = again[0]?.blocks.flatMap((b) => (b.type === "paragraph" ? b.text : [])) ?? [];
    expect(paragraphs).toContainEqual({ user: evil });
  });

  it("two different forms with one name at once make one project; the other is told the name is taken", async () => {
    const [a, b] = [await openForm(), await openForm()];
    const replies = await Promise.all([submit(a, "Gelijktijdige naam"), submit(b, "Gelijktijdige naam")]);
    expect(replies.filter((r) => /is opgezet/.test(r[0]?.fallback ?? ""))).toHaveLength(1);
    expect(replies.filter((r) => r[0]?.fieldErrors?.name)).toHaveLength(1);
    expect(await named("Gelijktijdige naam")).toBe(1);
  });

  it("two different forms for the same channel at once make one project; the other hears the channel is taken", async () => {
    const channel = "web:channel:team-zonder-project";
    const [a, b] = [await openForm(channel), await openForm(channel)];
    const replies = await Promise.all([submit(a, "Kanaal A", channel), submit(b, "Kanaal B", channel)]);
    const texts = replies.map((r) => r[0]?.fallback ?? "");
    expect(texts.filter((t) => /is opgezet/.test(t))).toHaveLength(1);
    expect(texts.filter((t) => /Dit kanaal is al een project/.test(t))).toHaveLength(1);
    expect(await countWhere(database.db, "ProjectChannel", { conversationRef: channel })).toBe(1);
  });
  it("the same gate review form sent twice, and twice at once, records one decision", async () => {
    const manager = { ...web(`web:dm:${DEMO_IDS.karin}`), platformUserId: DEMO_IDS.karin };
    const opened = await handle({
      ...manager,
      type: "action",
      actionId: "gate.review",
      value: DEMO_IDS.implementation,
    });
    const review = form(opened);
    const hold = () =>
      handle({
        ...manager,
        type: "formSubmitted",
        actionId: review.submit.actionId,
        value: review.submit.value,
        answers: { decision: "hold", reason: "Wachten op budget", "gate-date": "1-6-2027" },
      });
    const decisions = () => countWhere(database.db, "GateDecision", { projectId: DEMO_IDS.implementation });
    const before = await decisions();
    expect((await hold())[0]?.fallback).toMatch(/Aanhouden/);
    const again = await hold();
    expect(again[0]?.fallback).toMatch(/Dit besluit is al vastgelegd/);
    expect(await decisions()).toBe(before + 1);

    const second = form(
      await handle({ ...manager, type: "action", actionId: "gate.review", value: DEMO_IDS.implementation }),
    );
    const send = () =>
      handle({
        ...manager,
        type: "formSubmitted",
        actionId: second.submit.actionId,
        value: second.submit.value,
        answers: { decision: "hold", reason: "Nog steeds geen budget", "gate-date": "1-7-2027" },
      });
    const both = await Promise.all([send(), send()]);
    expect(both.map((r) => r[0]?.fallback ?? "").filter((t) => /al vastgelegd/.test(t))).toHaveLength(1);
    expect(await decisions()).toBe(before + 2);
    expect(await countWhere(database.db, "AuditEvent", { kind: "gate.hold", subject: DEMO_IDS.implementation })).toBe(
      2,
    );
  });
  it("a checkpoint's evidence form sent twice at once records one decision (already guarded: a regression test)", async () => {
    const manager = { ...web(`web:dm:${DEMO_IDS.karin}`), platformUserId: DEMO_IDS.karin };
    // Opening the checklist plans the phase's checkpoints.
    await handle({
      ...manager,
      conversationRef: `web:channel:${DEMO_IDS.pilot}`,
      type: "command",
      text: "toetspunten",
    });
    const checkpoint = await oneWhere(database.db, "Checkpoint", { projectId: DEMO_IDS.pilot, status: "open" });
    const send = () =>
      handle({
        ...manager,
        type: "formSubmitted",
        actionId: "checkpoint.done.submit",
        value: checkpoint.id,
        answers: { note: "Vastgesteld in het overleg" },
      });
    const both = await Promise.all([send(), send()]);
    expect(both.map((r) => r[0]?.fallback ?? "").filter((t) => /al besloten/.test(t))).toHaveLength(1);
    expect(await countWhere(database.db, "AuditEvent", { kind: "checkpoint.done", subject: checkpoint.id })).toBe(1);
  });
});

describe("forms act once: a retro form sent twice at once", () => {
  let database: TestDatabase;
  let core: ReturnType<typeof createTestCore>;

  beforeAll(async () => {
    database = await createTestDatabase();
    core = createTestCore(database, [createRecordingAdapter("web")]);
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
  });

  afterAll(async () => {
    await core?.close();
    await database?.drop();
  });

  it("keeps one answer per question; the first send is saved, the second told nothing changed", async () => {
    await advanceProject(core.deps, DEMO_IDS.pilot);
    const cycle = await oneWhere(database.db, "RetroCycle", { projectId: DEMO_IDS.pilot, status: "open" });
    const questions = (cycle.questions as { nl: { key: string; kind: string }[] }).nl;
    const answers = Object.fromEntries(
      questions.map((q) => [q.key, q.kind === "scale" ? "4" : `Dubbel verstuurd antwoord (${q.key})`]),
    );
    const send = () =>
      handleEvent(core.deps, {
        type: "formSubmitted",
        platform: "web",
        tenantId: DEMO_IDS.organisation,
        platformUserId: DEMO_IDS.sanne,
        conversationRef: `web:dm:${DEMO_IDS.sanne}`,
        actionId: "retro.answer",
        value: cycle.id,
        answers,
      });
    const both = await Promise.all([send(), send()]);
    const replies = both.map((r) => r[0]?.fallback ?? "");
    expect(replies.filter((t) => /opgeslagen/.test(t))).toHaveLength(1);
    expect(replies.filter((t) => /niets veranderd/.test(t))).toHaveLength(1);
    expect(await countWhere(database.db, "Answer", { cycleId: cycle.id })).toBe(questions.length);
  });
});
