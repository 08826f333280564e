// The starter library end to end on real PostgreSQL: loaded by the CLI and by an admin in chat,
// idempotently, searchable in Dutch and English, and marked as the starter library in results.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderLessonsPage } from "../../adapters/web/lessons-page.ts";
import { lessonsCommand } from "../../src/cli/lessons-command.ts";
import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import { type Block, plain } from "../../src/domain/message.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { createLessonsPage } from "../../src/use-cases/lessons/lessons-page.ts";
import { readStarterLibrary } from "../../src/use-cases/lessons/starter-library.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { createTestCore, prompts } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

/** What a block says, as plain text: lists one item a line. */
const blockText = (block: Block): string[] =>
  block.type === "list" ? block.items.map(plain) : "text" in block ? [plain(block.text)] : [];

describe("the starter library", () => {
  let database: TestDatabase;
  let core: ReturnType<typeof createTestCore>;
  let englishOrg: string;
  let size: number;
  const say = async (personId: string, text: string) =>
    (
      await handleEvent(core.deps, {
        platform: "web",
        tenantId: DEMO_IDS.organisation,
        platformUserId: personId,
        conversationRef: `web:dm:${personId}`,
        type: "command",
        text,
      } as InboundEvent)
    )
      .map((message) => [message.fallback, ...message.blocks.flatMap(blockText)].join("\n"))
      .join("\n");
  const cli = async (args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await lessonsCommand(args, {
      db: database.db,
      prompts,
      out: (text) => out.push(text),
      err: (text) => err.push(text),
    });
    return { code, out: out.join(""), err: err.join("") };
  };
  const starterCount = (organisationId: string) =>
    database.db.lesson.count({
      where: { organisationId, publisher: { in: ["Startbibliotheek Leerlus", "Leerlus starter library"] } },
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    core = createTestCore(database, [createRecordingAdapter("web")]);
    await seedDemo(database.db, { now: core.clock.now(), fast: false });
    await database.db.person.update({ where: { id: DEMO_IDS.karin }, data: { roles: ["manager", "admin"] } });
    englishOrg = (await database.db.organisation.create({ data: { name: "City of Testing", locale: "en" } })).id;
    size = (await readStarterLibrary(prompts)).lessons.length;
  }, 60_000);

  afterAll(async () => {
    await core?.close();
    await database?.drop();
  });

  it("is offered to an admin whose search finds nothing, and only an admin may load it", async () => {
    const empty = await say(DEMO_IDS.karin, "lessen handhaving");
    expect(empty).toContain("lessen startbibliotheek");
    expect(await say(DEMO_IDS.lotte, "lessen handhaving")).not.toContain("lessen startbibliotheek");
    const refused = await say(DEMO_IDS.lotte, "lessen startbibliotheek");
    expect(refused).toContain("Alleen een Leerlus-beheerder");
    expect(await starterCount(DEMO_IDS.organisation)).toBe(0);
  });

  it("loads once in chat: the second time adds nothing and says so", async () => {
    const first = await say(DEMO_IDS.karin, "lessen startbibliotheek");
    expect(first).toContain(`${size} lessen uit de startbibliotheek toegevoegd (0 stonden er al)`);
    const again = await say(DEMO_IDS.karin, "lessen startbibliotheek");
    expect(again).toContain("Er is niets toegevoegd");
    expect(await starterCount(DEMO_IDS.organisation)).toBe(size);
    // The CLI and the other language count the same lessons as present.
    const cli1 = await cli(["starter", "--organisation", DEMO_IDS.organisation, "--locale", "en"]);
    expect(cli1).toMatchObject({ code: 0 });
    expect(cli1.out).toContain(`0 lessons from the starter library; ${size} were already there`);
    expect(await starterCount(DEMO_IDS.organisation)).toBe(size);
  });

  it("is found with Dutch search words and marked with publisher, licence and domain", async () => {
    const reply = await say(DEMO_IDS.lotte, "lessen handhavers");
    expect(reply).toContain("handhavers");
    expect(reply).toContain("gedeeld door Startbibliotheek Leerlus, CC BY 4.0");
    expect(reply).toMatch(/\(Openbare ruimte; [^;]+; gedeeld door Startbibliotheek Leerlus, CC BY 4\.0\)/);
    expect(await say(DEMO_IDS.lotte, "lessen funderingsherstel")).toContain("bouwblok");
    expect(await say(DEMO_IDS.lotte, "lessen schulden")).toContain("Sociaal domein");
    // A domain filter, in either language.
    const housing = await say(DEMO_IDS.lotte, "lessen domein:wonen");
    expect(housing).toContain("Wonen");
    expect(housing).not.toContain("Sociaal domein");
    expect(housing).not.toContain("Openbare ruimte");
  });

  it("loads in English for an English organisation, found with English search words", async () => {
    const loaded = await cli(["starter", "--organisation", englishOrg]);
    expect(loaded.out).toContain(`Added ${size} lessons from the starter library; 0 were already there`);
    expect((await cli(["starter", "--organisation", englishOrg])).out).toContain("Added 0 lessons");
    const stores = core.deps.stores;
    const viewer = { organisationId: englishOrg, personId: DEMO_IDS.lotte };
    const search = (query: string) =>
      stores.library.search({
        viewer,
        query,
        filters: { themes: [], phases: [], projects: [], disciplines: [] },
        limit: 5,
      });
    const enforcement = await search("enforcement officers");
    expect(enforcement.length).toBeGreaterThan(0);
    expect(enforcement[0]?.publisher).toBe("Leerlus starter library");
    expect(enforcement[0]?.licence).toBe("CC BY 4.0");
    expect((await search("foundation repair")).map((lesson) => lesson.domain)).toContain("housing");
    expect((await search("debts")).length + (await search("debt")).length).toBeGreaterThan(0);
    expect((await search("traffic forecast"))[0]?.domain).toBe("mobility");
  });

  it("shows the mark on the lessons page", async () => {
    const page = createLessonsPage(core.deps);
    const query = { q: "hondenbezitters", theme: "", phase: "", project: "", discipline: "" };
    const data = await page.search(DEMO_IDS.lotte, query);
    expect(data?.results.length).toBeGreaterThan(0);
    const t = (key: string, vars?: Record<string, string | number>) => prompts.t("nl", `lessons.${key}`, vars);
    const html = renderLessonsPage(data as NonNullable<typeof data>, query, t, "");
    expect(html).toContain("gedeeld door Startbibliotheek Leerlus, CC BY 4.0");
    expect(html).toContain("Openbare ruimte");
  });
});
