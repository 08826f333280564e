// Every message shows its state: a decided item says what was decided and by whom, in the
// message itself, and a second click explains instead of flipping the decision.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import type { Button, Message } from "../../src/domain/message.ts";
import { plain } from "../../src/domain/message.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import type { CycleRecord } from "../../src/ports/retro-store.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { closedPilotRetro } from "../support/demo-answers.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestCore } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const dm = (personId: string) => `web:dm:${personId}`;
const channel = `web:channel:${DEMO_IDS.pilot}`;

const base = (personId: string, conversationRef = dm(personId)) => ({
  platform: "web" as const,
  tenantId: DEMO_IDS.organisation,
  platformUserId: personId,
  conversationRef,
});
const press = (personId: string, actionId: string, value: string, where = channel): InboundEvent => ({
  ...base(personId, where),
  type: "action",
  actionId,
  value,
});

const buttonsOf = (message: Message): Button[] =>
  message.blocks.flatMap((block) => (block.type === "actions" ? block.buttons : []));
const textOf = (messages: Message[]) =>
  messages.flatMap((message) => message.blocks.map((block) => ("text" in block ? plain(block.text) : ""))).join(" ");

describe("message state", () => {
  let database: TestDatabase;
  let core: ReturnType<typeof createTestCore>;
  const adapter = createRecordingAdapter("web");
  let cycle: CycleRecord;
  let lessonIds: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    core = createTestCore(database, [adapter]);
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
    cycle = await closedPilotRetro(core.deps, core.clock, () =>
      database.prisma.project.update({ where: { id: DEMO_IDS.implementation }, data: { active: false } }),
    );
    const summary = await eventually(() =>
      adapter.sent.find((s) => s.conversationRef === channel && s.text.includes("Bewoners vroeg betrekken")),
    );
    lessonIds = [
      ...new Set(
        buttonsOf(summary.message)
          .filter((b) => b.actionId === "lesson.confirm")
          .map((b) => b.value),
      ),
    ];
  });

  afterAll(async () => {
    await core?.close();
    await database?.drop();
  });

  it("a second *Not a lesson* on a saved lesson explains who saved it and offers undo, and keeps it saved", async () => {
    const [lessonId = ""] = lessonIds;
    await handleEvent(core.deps, press(DEMO_IDS.sanne, "lesson.confirm", lessonId));
    const second = await handleEvent(core.deps, press(DEMO_IDS.sanne, "lesson.dismiss", lessonId));
    const lesson = await database.prisma.lesson.findUniqueOrThrow({ where: { id: lessonId } });
    expect(lesson.status).toBe("confirmed");
    expect(textOf(second)).toMatch(/Sanne[^.]* heeft dit al als les bewaard/i);
    expect(second.flatMap(buttonsOf).map((b) => [b.actionId, b.value])).toContainEqual(["lesson.undo", lessonId]);
  });

  it("rewrites the summary where it was sent: the decision and who made it, with undo instead of the buttons", async () => {
    const [, lessonId = ""] = lessonIds;
    const before = adapter.updated.length;
    const replies = await handleEvent(core.deps, press(DEMO_IDS.sanne, "lesson.dismiss", lessonId));
    const update = adapter.updated.slice(before).at(-1);
    if (!update) throw new Error("the summary was not updated");
    const shown = update.message;
    expect(textOf([shown])).toMatch(/Geen les, besloten door Sanne/);
    const forLesson = buttonsOf(shown).filter((b) => b.value === lessonId);
    expect(forLesson.map((b) => b.actionId)).toEqual(["lesson.undo"]);
    // The message acted on comes first, for the platforms that answer a click with it.
    expect(replies[0]?.updatesSource).toBe(true);
    // Undo brings the buttons back, everywhere it shows.
    await handleEvent(core.deps, press(DEMO_IDS.sanne, "lesson.undo", lessonId));
    const again = adapter.updated.at(-1)?.message as Message;
    expect(
      buttonsOf(again)
        .filter((b) => b.value === lessonId)
        .map((b) => b.actionId),
    ).toEqual(["lesson.confirm", "lesson.dismiss"]);
    expect((await database.prisma.lesson.findUniqueOrThrow({ where: { id: lessonId } })).status).toBe("proposed");
  });

  it("a member's click on a lead-only button changes nothing and says why", async () => {
    const [, lessonId = ""] = lessonIds;
    const before = adapter.updated.length;
    const replies = await handleEvent(core.deps, press(DEMO_IDS.lotte, "lesson.confirm", lessonId));
    expect(textOf(replies)).toMatch(/Alleen de trekker/);
    expect(adapter.updated.length).toBe(before);
  });

  it("two clicks at once decide once", async () => {
    const [, lessonId = ""] = lessonIds;
    const [first, second] = await Promise.all([
      handleEvent(core.deps, press(DEMO_IDS.sanne, "lesson.confirm", lessonId)),
      handleEvent(core.deps, press(DEMO_IDS.sanne, "lesson.dismiss", lessonId)),
    ]);
    const lesson = await database.prisma.lesson.findUniqueOrThrow({ where: { id: lessonId } });
    const explained = [first, second].filter((replies) => /al besloten|al als les bewaard/.test(textOf(replies)));
    expect(explained).toHaveLength(1);
    expect(["confirmed", "dismissed"]).toContain(lesson.status);
  });

  it("in an anonymous project a lesson's decision names nobody", async () => {
    const lessonId = lessonIds[2] ?? "";
    await database.prisma.project.update({ where: { id: DEMO_IDS.pilot }, data: { anonymous: true } });
    try {
      await handleEvent(core.deps, press(DEMO_IDS.sanne, "lesson.confirm", lessonId));
      const shown = adapter.updated.at(-1)?.message as Message;
      const line = shown.blocks.find((block) => block.type === "context" && block.item === `lesson:${lessonId}`);
      expect(line && "text" in line ? plain(line.text) : "").toBe("Bewaard als les.");
      const second = (await handleEvent(core.deps, press(DEMO_IDS.sanne, "lesson.dismiss", lessonId))).filter(
        (reply) => !reply.updatesSource,
      );
      expect(textOf(second)).toContain("Dit is al als les bewaard, dus er is niets veranderd.");
      expect(textOf(second)).not.toContain("Sanne");
    } finally {
      await database.prisma.project.update({ where: { id: DEMO_IDS.pilot }, data: { anonymous: false } });
    }
  });

  it("a closed retro's forms say it is closed and hold no form any more, in every direct message", async () => {
    const prompts = await database.prisma.outboxMessage.findMany({
      where: { key: { startsWith: `prompt:${cycle.id}:` } },
      include: { body: true },
    });
    expect(prompts.length).toBeGreaterThan(0);
    for (const row of prompts) {
      const message = row.body.message as unknown as Message;
      expect(message.blocks.some((block) => block.type === "form")).toBe(false);
      expect(textOf([message])).toMatch(/Deze retro is gesloten|This retro is closed/);
    }
    // Each copy already sent is rewritten where it was sent.
    const refs = new Set(prompts.map((row) => row.sentRef));
    const updated = await eventually(() => {
      const closed = adapter.updated.filter((update) => refs.has(update.sentRef));
      return closed.length === prompts.length && closed;
    });
    for (const update of updated)
      expect(textOf([update.message])).toMatch(/Deze retro is gesloten|This retro is closed/);
  });
});
