import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import { createStores } from "../../src/persistence/unit-of-work.ts";
import type { ProjectRecord } from "../../src/ports/project-records.ts";
import { composeDigest } from "../../src/use-cases/digest/compose-digest.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { exportLessons } from "../../src/use-cases/lessons/lesson-exchange.ts";
import { createLessonsPage } from "../../src/use-cases/lessons/lessons-page.ts";
import { openCycle } from "../../src/use-cases/open-cycle.ts";
import { insertRow } from "../support/fixtures.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { createTestCore, prompts } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const DAY = 24 * 60 * 60 * 1000;
// A colleague's raw answer, proposed as a lesson and not (yet) reviewed by the lead.
const RAW = "Zeppelinproef: ik vond het overleg met beheer zinloos en ben er klaar mee.";
// What a lead saved, or someone added deliberately.
const SAVED = "Zeppelinproef: leg vooraf vast wie de sensorkast beheert.";
const THEMES = ["data-ethics-privacy", "governance-ownership"];

describe("other teams see only reviewed lessons", () => {
  let database: TestDatabase;
  let core: ReturnType<typeof createTestCore>;

  beforeAll(async () => {
    database = await createTestDatabase();
    core = createTestCore(database, [createRecordingAdapter("web")]);
    await seedDemo(database.db, { now: core.clock.now(), fast: false });
    const lesson = (text: string, data: Record<string, unknown>) =>
      insertRow(database.db, "Lesson", {
        organisationId: DEMO_IDS.organisation,
        projectId: DEMO_IDS.implementation,
        phase: "pilot",
        text,
        themes: THEMES,
        ...data,
      });
    // Ranked first wherever ranking counts, so only its status can keep it out.
    await lesson(RAW, { source: "answer", status: "proposed", usefulCount: 50 });
    await lesson(SAVED, { source: "answer", status: "confirmed", usefulCount: 40 });
  });

  afterAll(async () => {
    await core?.close();
    await database?.drop();
  });

  it("never quotes an unreviewed answer in another team's channel (learn from others)", async () => {
    const items = await core.deps.unitOfWork(`project:${DEMO_IDS.pilot}`, async (stores) => {
      const project = (await stores.retro.project(DEMO_IDS.pilot, core.clock.now())) as ProjectRecord;
      return openCycle(core.deps, stores, project, core.clock.now());
    });
    const learn = items.find((item) => item.key.startsWith("learn:"));
    expect(learn?.address.conversationRef).toBe(`web:channel:${DEMO_IDS.pilot}`);
    const text = JSON.stringify(learn?.message);
    expect(text).toContain("Zeppelinproef: leg vooraf vast");
    expect(text).not.toContain("zinloos");
  });

  it("finds only reviewed lessons in chat search and on the lessons page", async () => {
    const replies = await handleEvent(core.deps, {
      type: "command",
      platform: "web",
      tenantId: DEMO_IDS.organisation,
      platformUserId: DEMO_IDS.lotte,
      conversationRef: `web:dm:${DEMO_IDS.lotte}`,
      text: "lessen zeppelinproef",
    } as InboundEvent);
    const chat = JSON.stringify(replies);
    expect(chat).toContain("leg vooraf vast");
    expect(chat).not.toContain("zinloos");

    const page = await createLessonsPage(core.deps).search(DEMO_IDS.lotte, {
      q: "zeppelinproef",
      theme: "",
      phase: "",
      project: "",
      discipline: "",
    });
    const shown = JSON.stringify(page);
    expect(shown).toContain("leg vooraf vast");
    expect(shown).not.toContain("zinloos");
  });

  it("leaves unreviewed lessons out of the organisation's export", async () => {
    const stores = createStores(database.db);
    for (const format of ["csv", "json", "md"] as const) {
      const exported = await exportLessons(stores, prompts, DEMO_IDS.organisation, format, core.clock.now());
      expect(exported).toContain("leg vooraf vast");
      expect(exported).not.toContain("zinloos");
    }
  });

  it("never lists an unreviewed answer among the advisers' digest lessons", async () => {
    const stores = createStores(database.db);
    const digest = await composeDigest({
      stores,
      prompts,
      organisationId: DEMO_IDS.organisation,
      periodStart: new Date(Date.now() - 7 * DAY),
      periodEnd: new Date(Date.now() + DAY),
      minGroupSize: 3,
    });
    const content = JSON.stringify(digest);
    expect(content).toContain("leg vooraf vast");
    expect(content).not.toContain("zinloos");
  });
});
