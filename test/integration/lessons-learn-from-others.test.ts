import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import type { Message } from "../../src/domain/message.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import type { ProjectRecord } from "../../src/ports/project-records.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { LESSON_APPLIED, LESSON_USEFUL, lessonsForNewPhase } from "../../src/use-cases/lessons/learn-from-others.ts";
import { openCycle } from "../../src/use-cases/open-cycle.ts";
import { insertRow, oneWhere, rowsWhere, updateWhere } from "../support/fixtures.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { createTestCore } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const buttons = (message: Message | undefined, actionId: string) =>
  (message?.blocks ?? []).flatMap((block) =>
    block.type === "actions" ? block.buttons.filter((button) => button.actionId === actionId) : [],
  );

describe("lessons library: learn from others", () => {
  let database: TestDatabase;
  let core: ReturnType<typeof createTestCore>;
  const press = (personId: string, actionId: string, value: string) =>
    handleEvent(core.deps, {
      type: "action",
      platform: "web",
      tenantId: DEMO_IDS.organisation,
      platformUserId: personId,
      conversationRef: `web:dm:${personId}`,
      actionId,
      value,
    } as InboundEvent);
  const open = () =>
    core.deps.unitOfWork(`project:${DEMO_IDS.pilot}`, async (stores) => {
      await updateWhere(database.db, "RetroCycle", { status: "open" }, { status: "closed" });
      const project = (await stores.retro.project(DEMO_IDS.pilot, core.clock.now())) as ProjectRecord;
      return openCycle(core.deps, stores, project, core.clock.now());
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    core = createTestCore(database, [createRecordingAdapter("web")]);
    await seedDemo(database.db, { now: core.clock.now(), fast: false });
    const other = (text: string, data: Record<string, unknown> = {}) =>
      insertRow(database.db, "Lesson", {
        organisationId: DEMO_IDS.organisation,
        projectId: DEMO_IDS.implementation,
        phase: "pilot",
        source: "manual",
        text,
        themes: [],
        ...data,
      });
    await other("Meet het effect van de sensoren op parkeerdruk vanaf dag één.", { themes: ["public-value"] });
    await other("Houd de DPIA levend: werk hem bij na elke wijziging.", { themes: ["data-ethics-privacy"] });
    await other("Een afgewezen voorstel.", { themes: ["data-ethics-privacy"], status: "dismissed" });
    await other("Alleen voor ons team.", { themes: ["data-ethics-privacy"], visibility: "team" });
    await other("Les uit de verkenning.", { themes: ["data-ethics-privacy"], phase: "explore" });
  });

  afterAll(async () => {
    await core?.close();
    await database?.drop();
  });

  it("attaches up to three lessons from other projects when a cycle opens, with feedback buttons", async () => {
    const items = await open();
    const learn = items.find((item) => item.key.startsWith("learn:"));
    expect(learn?.address.conversationRef).toBe(`web:channel:${DEMO_IDS.pilot}`);
    const text = JSON.stringify(learn?.message.blocks);
    expect(text).toContain("Houd de DPIA levend");
    expect(text).toContain("Betrek gebruikers");
    expect(text).not.toMatch(/afgewezen|Alleen voor ons team|Les uit de verkenning|Regel de DPIA/);
    const useful = buttons(learn?.message, LESSON_USEFUL);
    expect(useful.length).toBeGreaterThan(0);
    expect(useful.length).toBeLessThanOrEqual(3);
    const [reply] = await press(DEMO_IDS.lotte, LESSON_USEFUL, useful[0]?.value as string);
    expect(reply?.fallback).toMatch(/hoger/);
    const share = await oneWhere(database.db, "LessonShare", { id: useful[0]?.value as string });
    expect(share.useful).toBe(true);
    expect((await oneWhere(database.db, "Lesson", { id: share.lessonId })).usefulCount).toBe(1);
  });

  it("does not repeat a lesson, and two cycles later asks whether it was applied", async () => {
    const second = await open();
    const shared = await rowsWhere(database.db, "LessonShare", { projectId: DEMO_IDS.pilot });
    const again = second.find((item) => item.key.startsWith("learn:"));
    for (const share of shared.filter((row) => row.createdAt < new Date(Date.now() - 1)))
      expect(JSON.stringify(again?.message ?? "")).not.toContain(share.id);
    expect(second.some((item) => item.key.startsWith("applied:"))).toBe(false);
    const third = await open();
    const question = third.find((item) => item.key.startsWith("applied:"));
    const yes = buttons(question?.message, LESSON_APPLIED);
    expect(yes.length).toBeGreaterThan(0);
    const [reply] = await press(DEMO_IDS.sanne, LESSON_APPLIED, yes[0]?.value as string);
    expect(reply?.fallback).toMatch(/toegepast in Slim parkeren|toegepast in/);
    const [again2] = await press(DEMO_IDS.lotte, LESSON_APPLIED, yes[0]?.value as string);
    expect(again2?.fallback).toMatch(/al beantwoord/);
    const share = await oneWhere(database.db, "LessonShare", { id: yes[0]?.value as string });
    const lesson = await oneWhere(database.db, "Lesson", { id: share.lessonId });
    expect(lesson.appliedIn).toHaveLength(1);
    expect(lesson.appliedIn?.[0]).not.toMatch(/Sanne/);
    // Asked once: the fourth cycle does not ask again about the same lessons.
    const fourth = await open();
    expect(JSON.stringify(fourth.find((item) => item.key.startsWith("applied:"))?.message ?? "")).not.toContain(
      share.id,
    );
  });

  it("attaches lessons when a project enters a new phase", async () => {
    await updateWhere(database.db, "Project", { id: DEMO_IDS.pilot }, { phase: "explore" });
    const items = await core.deps.unitOfWork("phase", async (stores) => {
      const project = (await stores.retro.project(DEMO_IDS.pilot, core.clock.now())) as ProjectRecord;
      return lessonsForNewPhase(core.deps, stores, project, core.clock.now());
    });
    expect(items[0]?.key).toBe(`learn-phase:${DEMO_IDS.pilot}:explore:web`);
    expect(JSON.stringify(items[0]?.message.blocks)).toContain("Les uit de verkenning");
  });
});
