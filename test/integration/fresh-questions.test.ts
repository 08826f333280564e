import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Message } from "../../src/domain/message.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import type { CycleRecord } from "../../src/ports/retro-store.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { answerAsDemoPeople } from "../support/demo-answers.ts";
import { dm, press } from "../support/demo-events.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestCore } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const MINUTE = 60_000;
const pilotChannel = `web:channel:${DEMO_IDS.pilot}`;
const ANSWERING = [DEMO_IDS.sanne, DEMO_IDS.ahmed, DEMO_IDS.lotte];

/** The label of the form input that asks `key`, in a message with a retro form. */
function labelOf(message: Message | undefined, key: string): string | undefined {
  for (const block of message?.blocks ?? []) {
    if (block.type === "form") return block.inputs.find((input) => input.key === key)?.label;
  }
  return undefined;
}

// The same key in other words from one retro to the next, on PostgreSQL and Redis with the real core.
describe("fresh questions", () => {
  let database: TestDatabase;
  let core: ReturnType<typeof createTestCore>;
  const adapter = createRecordingAdapter("web");

  beforeAll(async () => {
    database = await createTestDatabase();
    core = createTestCore(database, [adapter]);
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
    await database.prisma.project.updateMany({ data: { retroFormat: "four-ls" } });
  });

  afterAll(async () => {
    await core?.close();
    await database?.drop();
  });

  /** Opens the pilot's next cycle and waits for Lotte's (nl) and Emma's (en) prompts. */
  async function openNext(sequence: number) {
    await advanceProject(core.deps, DEMO_IDS.pilot);
    const cycle = (await core.deps.stores.retro.latestCycle(DEMO_IDS.pilot)) as CycleRecord;
    expect(cycle.sequence).toBe(sequence);
    const promptTo = (personId: string) =>
      eventually(() =>
        adapter.sent.find((s) => s.conversationRef === dm(personId) && s.text.includes(`Retro ${sequence}`)),
      );
    return { cycle, nl: (await promptTo(DEMO_IDS.lotte)).message, en: (await promptTo(DEMO_IDS.emma)).message };
  }

  it("asks the same keys in other words in two consecutive cycles, and the summary shows the words people saw", async () => {
    const first = await openNext(1);
    await answerAsDemoPeople(core.deps, first.cycle, ANSWERING, (key) => `Antwoord op ${key}`, "4");
    core.clock.advance(2 * MINUTE + 1000);
    await advanceProject(core.deps, DEMO_IDS.pilot);
    const summary = await eventually(() =>
      adapter.sent.find((s) => s.conversationRef === pilotChannel && /Samenvatting/.test(s.text)),
    );

    core.clock.advance(MINUTE);
    const second = await openNext(2);
    for (const question of first.cycle.questions.nl) {
      const key = question.key;
      const next = second.cycle.questions.nl.find((q) => q.key === key);
      // Same key, kind and yield: trends and lessons add up; only the words change.
      expect(next?.kind).toBe(question.kind);
      expect(next?.yields).toBe(question.yields);
      expect(next?.text, key).not.toBe(question.text);
      for (const locale of ["nl", "en"] as const) {
        const before = labelOf(first[locale], key);
        const after = labelOf(second[locale], key);
        expect(before, `${locale} ${key}`).toContain(first.cycle.questions[locale].find((q) => q.key === key)?.text);
        expect(after, `${locale} ${key}`).toContain(second.cycle.questions[locale].find((q) => q.key === key)?.text);
        expect(after, `${locale} ${key}`).not.toBe(before);
      }
      // The channel's summary names each question as the team was asked it in that retro (the
      // answers about learning and change go to the grouped message, by theme, not by question).
      if (question.kind !== "scale" && question.yields === "none") expect(summary.text).toContain(question.text);
      expect(summary.text).not.toContain(next?.text);
    }

    // "Answer" (the Slack modal, the web chat's form) opens the cycle's own wording too.
    const [form] = await handleEvent(core.deps, press(DEMO_IDS.emma, "retro.open", second.cycle.id));
    const learned = second.cycle.questions.en.find((q) => q.key === "learned");
    expect(labelOf(form, "learned")).toContain(learned?.text);
    expect(labelOf(form, "learned")).toBe(labelOf(second.en, "learned"));
  });
});
