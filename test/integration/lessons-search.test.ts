import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import { NO_FILTERS } from "../../src/ports/lesson-library.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { LESSON_NOT_USEFUL, LESSON_USEFUL } from "../../src/use-cases/lessons/learn-from-others.ts";
import { suggestThemesFor } from "../../src/use-cases/lessons/lesson-themes.ts";
import { editLesson } from "../../src/use-cases/lessons/manage-lessons.ts";
import { insertRow } from "../support/fixtures.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { createTestCore, prompts } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const OTHER_ORG = "00000000-0000-4000-8000-00000000a001";
const OTHER_PROJECT = "00000000-0000-4000-8000-00000000a002";
const OTHER_PERSON = "00000000-0000-4000-8000-00000000a003";

function event(personId: string, fields: Record<string, unknown>): InboundEvent {
  return {
    platform: "web",
    tenantId: DEMO_IDS.organisation,
    platformUserId: personId,
    conversationRef: `web:dm:${personId}`,
    ...fields,
  } as InboundEvent;
}

describe("lessons library: search", () => {
  let database: TestDatabase;
  let core: ReturnType<typeof createTestCore>;
  const say = async (personId: string, text: string, where?: string) =>
    (
      await handleEvent(
        core.deps,
        event(personId, { type: "command", text, ...(where ? { conversationRef: where } : {}) }),
      )
    )
      .map((message) => message.fallback + JSON.stringify(message.blocks))
      .join("\n");
  const lesson = (data: Record<string, unknown>) =>
    insertRow(database.db, "Lesson", {
      organisationId: DEMO_IDS.organisation,
      projectId: DEMO_IDS.implementation,
      phase: "pilot",
      themes: [],
      source: "manual",
      text: "",
      ...data,
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    core = createTestCore(database, [createRecordingAdapter("web")]);
    await seedDemo(database.db, { now: core.clock.now(), fast: false });
    await lesson({ text: "De gebruiker wil eerst een werkend prototype zien." });
    await lesson({ text: "Betrokkenheid van de wijk groeide pas na de derde bijeenkomst." });
    await lesson({ text: "Residents got involved once we showed real street data.", phase: "explore" });
    await lesson({ text: "Two users broke the dashboard on day one.", disciplines: ["data-it"] });
    await lesson({
      projectId: DEMO_IDS.pilot,
      visibility: "team",
      text: "Teamgeheim: de sensorleverancier levert laat.",
    });
    await insertRow(database.db, "Organisation", { id: OTHER_ORG, name: "Gemeente Elders" });
    await insertRow(database.db, "Person", { id: OTHER_PERSON, organisationId: OTHER_ORG, displayName: "Olga" });
    await database.prisma.project.create({
      data: {
        id: OTHER_PROJECT,
        organisationId: OTHER_ORG,
        name: "Elders slim",
        cadence: {},
        memberships: { create: { personId: OTHER_PERSON, role: "lead" } },
      },
    });
    await lesson({
      organisationId: OTHER_ORG,
      projectId: OTHER_PROJECT,
      text: "Interne les over de sensorleverancier.",
    });
    await lesson({
      organisationId: OTHER_ORG,
      projectId: OTHER_PROJECT,
      visibility: "shared",
      licence: "CC BY 4.0",
      contact: "innovatie@elders.example",
      text: "Gedeelde les: vraag de sensorleverancier om open data.",
    });
  });

  afterAll(async () => {
    await core?.close();
    await database?.drop();
  });

  it("finds Dutch words by their stem: gebruikers → gebruiker, betrokken → betrokkenheid", async () => {
    expect(await say(DEMO_IDS.lotte, "lessen gebruikers")).toContain("De gebruiker wil eerst");
    expect(await say(DEMO_IDS.lotte, "lessen betrokken")).toContain("Betrokkenheid van de wijk");
  });

  it("finds English words by their stem: involvement → involved, user → users", async () => {
    expect(await say(DEMO_IDS.emma, "lessons involvement")).toContain("Residents got involved");
    expect(await say(DEMO_IDS.emma, "lessons user")).toContain("Two users broke");
  });

  it("quoted phrases and filters by theme, phase, project and discipline", async () => {
    expect(await say(DEMO_IDS.lotte, 'lessen "dpia voordat"')).toContain("Regel de DPIA");
    expect(await say(DEMO_IDS.lotte, '"voordat dpia"')).not.toContain("Regel de DPIA");
    const byTheme = await say(DEMO_IDS.lotte, "lessen thema:gebruikers");
    expect(byTheme).toContain("Betrek gebruikers");
    expect(byTheme).not.toContain("Regel de DPIA");
    expect(await say(DEMO_IDS.emma, "lessons residents phase:pilot")).not.toContain("Residents got involved");
    expect(await say(DEMO_IDS.emma, "lessons residents fase:verkennen")).toContain("Residents got involved");
    expect(await say(DEMO_IDS.lotte, "lessen project:parkeren")).not.toContain("Betrek gebruikers");
    const byDiscipline = await say(DEMO_IDS.emma, "lessons discipline:data-it");
    expect(byDiscipline).toContain("Two users broke");
    expect(byDiscipline).not.toContain("De gebruiker wil");
  });

  it("respects visibility: team lessons for the team, organisation lessons inside it, shared everywhere", async () => {
    // Sanne is in the pilot team; Mark leads another project of the same organisation.
    expect(await say(DEMO_IDS.sanne, "lessen sensorleverancier")).toContain("Teamgeheim");
    const mark = await say(DEMO_IDS.mark, "lessen sensorleverancier");
    expect(mark).not.toContain("Teamgeheim");
    expect(mark).not.toContain("Interne les");
    expect(mark).toContain("Gedeelde les");
    expect(mark).toContain("Gemeente Elders");
    expect(mark).toContain("CC BY 4.0");
    const olga = await core.deps.stores.library.search({
      viewer: { organisationId: OTHER_ORG, personId: OTHER_PERSON },
      query: "dpia",
      filters: NO_FILTERS,
      limit: 10,
    });
    expect(olga).toEqual([]);
  });

  it("never shows who wrote the answer a lesson came from", async () => {
    const cycle = await insertRow(database.db, "RetroCycle", {
      projectId: DEMO_IDS.pilot,
      sequence: 1,
      format: "four-ls",
      questions: {},
      opensAt: new Date(),
      remindsAt: new Date(),
      closesAt: new Date(),
    });
    const answer = await insertRow(database.db, "Answer", {
      cycleId: cycle.id,
      personId: DEMO_IDS.lotte,
      responseKey: "r1",
      questionKey: "learned",
      text: "Parkeerdata uit de app bleek onbetrouwbaar.",
    });
    await lesson({
      projectId: DEMO_IDS.pilot,
      cycleId: cycle.id,
      sourceAnswerId: answer.id,
      source: "answer",
      status: "confirmed", // saved by the lead; unreviewed ones are never found
      text: answer.text,
    });
    const shown = await say(DEMO_IDS.sanne, "lessen parkeerdata");
    expect(shown).toContain("Parkeerdata uit de app");
    expect(shown).not.toMatch(/Lotte|Jansen/);
    expect(shown).not.toContain(DEMO_IDS.lotte);
    expect(shown).not.toContain(answer.id);
    const [hit] = await core.deps.stores.library.search({
      viewer: { organisationId: DEMO_IDS.organisation, personId: DEMO_IDS.sanne },
      query: "parkeerdata",
      filters: NO_FILTERS,
      limit: 1,
    });
    expect(JSON.stringify(hit)).not.toMatch(new RegExp(`${DEMO_IDS.lotte}|${answer.id}|Lotte`));
  });

  it("feedback from teams changes the ranking", async () => {
    const first = await lesson({ text: "Plan de overdracht aan beheer vroeg." });
    const second = await lesson({ text: "Plan de overdracht aan beheer vroeg genoeg." });
    const order = async () =>
      (
        await core.deps.stores.library.search({
          viewer: { organisationId: DEMO_IDS.organisation, personId: DEMO_IDS.lotte },
          query: "overdracht beheer",
          filters: NO_FILTERS,
          limit: 2,
        })
      ).map((hit) => hit.id);
    const before = await order();
    const [low] = before.slice(-1);
    const [high] = before;
    const share = await core.deps.stores.library.share([
      { projectId: DEMO_IDS.pilot, cycleId: null, lessonIds: [low as string, high as string] },
    ]);
    const press = (personId: string, actionId: string, value: string) =>
      handleEvent(core.deps, event(personId, { type: "action", actionId, value }));
    const shareOf = (id: string) => share.find((item) => item.lessonId === id)?.id as string;
    await press(DEMO_IDS.lotte, LESSON_USEFUL, shareOf(low as string));
    await press(DEMO_IDS.lotte, LESSON_USEFUL, shareOf(low as string));
    await press(DEMO_IDS.sanne, LESSON_NOT_USEFUL, shareOf(high as string));
    // Mark is not in the pilot team that received them.
    const refused = await press(DEMO_IDS.mark, LESSON_USEFUL, shareOf(high as string));
    expect(refused[0]?.fallback).toMatch(/Alleen de leden/);
    expect(await order()).toEqual([low, high]);
    const counts = await database.prisma.lesson.findMany({ where: { id: { in: [first.id, second.id] } } });
    expect(counts.map((row) => row.usefulCount + row.notUsefulCount).sort()).toEqual([1, 1]);
  });

  it("suggests themes with Dutch and English stems", async () => {
    const [nl, en] = await suggestThemesFor(core.deps.stores.library, prompts, "nl", [
      "De gemeenteraden wilden het eerst zien.",
      "The stories we told residents mattered.",
    ]);
    expect(nl).toContain("communication");
    expect(en).toContain("communication");
  });

  it("adds a lesson from chat, and the lead edits it with a history", async () => {
    const added = await say(
      DEMO_IDS.lotte,
      "les toevoegen Vraag de privacy officer vroeg om mee te kijken",
      `web:channel:${DEMO_IDS.pilot}`,
    );
    expect(added).toMatch(/De les is bewaard bij/);
    const row = await database.prisma.lesson.findFirstOrThrow({ where: { text: { startsWith: "Vraag de privacy" } } });
    expect(row.themes).toContain("data-ethics-privacy");
    expect(row.source).toBe("manual");
    const lotte = await core.deps.stores.directory.person(DEMO_IDS.lotte);
    const sanne = await core.deps.stores.directory.person(DEMO_IDS.sanne);
    if (!lotte || !sanne) throw new Error("demo people missing");
    expect(await editLesson(core.deps, lotte, row.id, { text: "Nee" })).toEqual({ ok: false, error: "forbidden" });
    expect(
      await editLesson(core.deps, sanne, row.id, {
        text: "Vraag de privacy officer in week één",
        themes: ["data-ethics-privacy", "collaboration"],
        visibility: "team",
      }),
    ).toMatchObject({ ok: true });
    const revisions = await core.deps.stores.library.revisions(row.id);
    expect(revisions).toHaveLength(1);
    expect(revisions[0]?.before).toMatchObject({ text: row.text, visibility: "organisation" });
    expect(await say(DEMO_IDS.mark, "lessen privacy officer")).not.toContain("week één");
  });
});
