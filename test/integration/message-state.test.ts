// Every message shows its state: a decided item says what was decided and by whom, in the
// message itself, and a second click explains instead of flipping the decision.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import type { Button, Message } from "../../src/domain/message.ts";
import { plain } from "../../src/domain/message.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import type { CycleRecord } from "../../src/ports/store.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestCore } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const MINUTE = 60_000;
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
  messages
    .flatMap((message) => message.blocks.map((block) => ("text" in block ? plain(block.text) : "")))
    .join(" ");

describe("message state", () => {
  let database: TestDatabase;
  let core: ReturnType<typeof createTestCore>;
  const adapter = createRecordingAdapter("web");
  let cycle: CycleRecord;
  let lessonIds: string[] = [];
  const latest = async () => (await core.deps.stores.retro.latestCycle(DEMO_IDS.pilot)) as CycleRecord;

  beforeAll(async () => {
    database = await createTestDatabase();
    core = createTestCore(database, [adapter]);
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
    await database.db.project.update({ where: { id: DEMO_IDS.implementation }, data: { active: false } });
    core.clock.advance(4 * MINUTE);
    await advanceProject(core.deps, DEMO_IDS.pilot);
    cycle = await latest();
    for (const [person, text] of [
      [DEMO_IDS.lotte, "Bewoners vroeg betrekken"],
      [DEMO_IDS.ahmed, "Data eerst opschonen"],
      [DEMO_IDS.emma, "Demo plannen met de wijk"],
    ] as const) {
      const answers = Object.fromEntries(
        cycle.questions.nl.map((q) => [q.key, q.kind === "scale" ? "4" : `${text} (${q.key})`]),
      );
      await handleEvent(core.deps, {
        ...base(person),
        type: "formSubmitted",
        actionId: "retro.answer",
        value: cycle.id,
        answers,
      });
    }
    core.clock.advance(3 * MINUTE);
    await advanceProject(core.deps, DEMO_IDS.pilot); // closes: the summary proposes lessons
    const summary = await eventually(() =>
      adapter.sent.find((s) => s.conversationRef === channel && s.text.includes("Bewoners vroeg betrekken")),
    );
    lessonIds = [
      ...new Set(buttonsOf(summary.message).filter((b) => b.actionId === "lesson.confirm").map((b) => b.value)),
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
    const lesson = await database.db.lesson.findUniqueOrThrow({ where: { id: lessonId } });
    expect(lesson.status).toBe("confirmed");
    expect(textOf(second)).toMatch(/al bewaard als les door Sanne/i);
    expect(second.flatMap(buttonsOf).map((b) => [b.actionId, b.value])).toContainEqual(["lesson.undo", lessonId]);
  });
});
