import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import { PROJECT_FLAGS } from "../../src/domain/project-flags.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import { evaluateCheckpoints } from "../../src/use-cases/evaluate-checkpoints.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { sendDigest } from "../../src/use-cases/send-digest.ts";
import { dm, press } from "../support/demo-events.ts";
import { countWhere, oneWhere, updateWhere } from "../support/fixtures.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestCore } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const NO_FLAGS = Object.fromEntries(PROJECT_FLAGS.map((flag) => [flag, false]));

const DAY = 24 * 60 * 60 * 1000;

describe("scaling checkpoints and the advisers' digest", () => {
  let database: TestDatabase;
  let core: ReturnType<typeof createTestCore>;
  const adapter = createRecordingAdapter("web");

  beforeAll(async () => {
    database = await createTestDatabase();
    core = createTestCore(database, [adapter]);
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
    // The demo projects answered every flag "no": only the checkpoints that always apply are open,
    // so these tests see the same lists as before the flags (flag-driven ones are tested on their own).
    await updateWhere(database.db, "Project", {}, { flags: JSON.stringify(NO_FLAGS) });
  });

  afterAll(async () => {
    await core?.close();
    await database?.drop();
  });

  it("sends advisers a digest of the period's lessons by theme, once per period", async () => {
    const digestId = await sendDigest(core.deps, DEMO_IDS.organisation);
    expect(digestId).toBeTruthy();
    const digest = await eventually(() => adapter.sent.find((s) => s.conversationRef === dm(DEMO_IDS.joost)));
    expect(digest.text).toContain("Lessenoverzicht voor Gemeente Demo");
    expect(digest.text).toContain("Regel de DPIA");
    expect(digest.message.blocks.filter((block) => block.type === "heading").length).toBeGreaterThan(2);
    // Nobody else gets it, and a second run for the same moment creates nothing.
    expect(adapter.sent.filter((s) => /Lessenoverzicht/.test(s.text))).toHaveLength(1);
    expect(await sendDigest(core.deps, DEMO_IDS.organisation)).toBeNull();
    // `digest` in chat gives advisers the latest one again, with a fresh link; others are told who it is for.
    const say = (personId: string) =>
      handleEvent(core.deps, {
        type: "command",
        platform: "web",
        tenantId: DEMO_IDS.organisation,
        platformUserId: personId,
        conversationRef: dm(personId),
        text: "overzicht",
      });
    expect(JSON.stringify(await say(DEMO_IDS.joost))).toMatch(/\/digests\/[0-9a-f-]+\?token=/);
    expect((await say(DEMO_IDS.lotte))[0]?.fallback).toMatch(/adviseurs en de Leerlus-beheerders/);
    expect(await countWhere(database.db, "Digest")).toBe(1);
  });

  it("nudges the manager once a week about due checkpoints; done and snooze are recorded", async () => {
    await evaluateCheckpoints(core.deps, DEMO_IDS.organisation);
    await evaluateCheckpoints(core.deps, DEMO_IDS.organisation);
    const nudges = await eventually(() => {
      const found = adapter.sent.filter((s) => s.conversationRef === dm(DEMO_IDS.karin));
      return found.length > 0 && found;
    });
    expect(nudges).toHaveLength(1); // the pilot is due; the implementation (30 days in) is not
    expect(nudges[0]?.text).toContain("Slimme straatreiniging");
    const buttons = nudges[0]?.message.blocks.flatMap((block) => (block.type === "actions" ? block.buttons : [])) ?? [];
    expect(buttons.length).toBeGreaterThan(0);
    const done = buttons.find((button) => button.actionId === "checkpoint.done");
    const snooze = buttons.find(
      (button) => button.actionId === "checkpoint.snooze" && !button.value.startsWith(done?.value ?? "-"),
    );
    if (!done || !snooze) throw new Error("nudge without buttons");

    // Only the project's manager (or an admin) may decide.
    const refused = await handleEvent(core.deps, press(DEMO_IDS.lotte, "checkpoint.done", done.value));
    expect(refused[0]?.fallback).toMatch(/Alleen de managers van het project/);
    expect((await oneWhere(database.db, "Checkpoint", { id: done.value })).status).toBe("open");

    // Done asks for an evidence note in a small form first.
    const form = await handleEvent(core.deps, press(DEMO_IDS.karin, "checkpoint.done", done.value));
    expect(form[0]?.blocks.some((block) => block.type === "form")).toBe(true);
    const accepted = await handleEvent(core.deps, {
      ...press(DEMO_IDS.karin, "checkpoint.done.submit", done.value),
      type: "formSubmitted",
      answers: { note: "Verslag van de gebruikerstest" },
    } as InboundEvent);
    expect(accepted[0]?.fallback).toMatch(/Afgevinkt/);
    expect((await oneWhere(database.db, "Checkpoint", { id: done.value })).decidedById).toBe(DEMO_IDS.karin);
    expect(await countWhere(database.db, "AuditEvent", { kind: "checkpoint.done", subject: done.value })).toBe(1);

    const snoozedId = snooze.value.split(":")[0] as string;
    await handleEvent(core.deps, press(DEMO_IDS.karin, "checkpoint.snooze", `${snoozedId}:2`));
    const snoozed = await oneWhere(database.db, "Checkpoint", { id: snoozedId });
    expect(snoozed.snoozedUntil?.getTime()).toBeGreaterThan(core.clock.now().getTime() + 13 * DAY);

    // Eight days later: the snoozed (two weeks) and the done checkpoint stay quiet, the others come back.
    core.clock.advance(8 * DAY);
    await evaluateCheckpoints(core.deps, DEMO_IDS.organisation);
    const second = await eventually(() => {
      const found = adapter.sent.filter((s) => s.conversationRef === dm(DEMO_IDS.karin));
      return found.length === 2 && found[1];
    });
    const values = second.message.blocks
      .flatMap((block) => (block.type === "actions" ? block.buttons : []))
      .map((b) => b.value);
    expect(values).not.toContain(done.value);
    expect(values.some((value) => value.startsWith(snoozedId))).toBe(false);
  });
});
