import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import type { PersonRecord } from "../../src/ports/project-records.ts";
import type { CycleRecord } from "../../src/ports/retro-store.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { homeView } from "../../src/use-cases/home-view.ts";
import { portfolioCommand } from "../../src/use-cases/portfolio.ts";
import { exportPersonalData } from "../../src/use-cases/privacy.ts";
import { countWhere, oneWhere, rowsWhere, updateWhere } from "../support/fixtures.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestCore } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const MINUTE = 60_000;
const channel = `web:channel:${DEMO_IDS.pilot}`;
const dm = (personId: string) => `web:dm:${personId}`;
const WRITERS = /Ahmed El Amrani|Lotte Jansen|Emma Clarke|Ahmed|Lotte|Emma/;

describe("summaries never reveal who wrote an answer", () => {
  let database: TestDatabase;
  let core: ReturnType<typeof createTestCore>;
  const adapter = createRecordingAdapter("web");
  const latest = async () => (await core.deps.stores.retro.latestCycle(DEMO_IDS.pilot)) as CycleRecord;
  const person = async (id: string) => (await core.deps.stores.directory.person(id)) as PersonRecord;
  const run = (personId: string, event: Record<string, unknown>) =>
    handleEvent(core.deps, {
      platform: "web",
      tenantId: DEMO_IDS.organisation,
      platformUserId: personId,
      conversationRef: dm(personId),
      ...event,
    } as InboundEvent);
  const say = async (personId: string, text: string) => JSON.stringify(await run(personId, { type: "command", text }));
  const answer = (personId: string, cycle: CycleRecord, code: string) =>
    run(personId, {
      type: "formSubmitted",
      actionId: "retro.answer",
      value: cycle.id,
      answers: Object.fromEntries(
        cycle.questions.nl.map((q) => [
          q.key,
          q.kind === "scale" ? "4" : q.yields === "action" ? `Actie ${code}` : `Inzicht ${code} (${q.key})`,
        ]),
      ),
    });
  const summaryOf = (cycle: CycleRecord) =>
    eventually(() =>
      adapter.sent.find((s) => s.conversationRef === channel && s.text.includes(`retro ${cycle.sequence} van`)),
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    core = createTestCore(database, [adapter]);
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
    await updateWhere(database.db, "Project", {}, { retroFormat: "four-ls" });
    await updateWhere(database.db, "Project", { id: DEMO_IDS.implementation }, { active: false });
  });

  afterAll(async () => {
    await core?.close();
    await database?.drop();
  });

  beforeEach(async () => {
    await updateWhere(database.db, "RetroCycle", { status: "open" }, { status: "closed" });
    core.clock.advance(4 * MINUTE);
  });

  it("stores actions from answers without an owner and names no writer anywhere colleagues look", async () => {
    await advanceProject(core.deps, DEMO_IDS.pilot);
    const cycle = await latest();
    await answer(DEMO_IDS.ahmed, cycle, "Oranje");
    await answer(DEMO_IDS.lotte, cycle, "Paars");
    await answer(DEMO_IDS.emma, cycle, "Groen");
    core.clock.advance(3 * MINUTE);
    await advanceProject(core.deps, DEMO_IDS.pilot);
    const summary = await summaryOf(cycle);
    expect(JSON.stringify(summary.message)).not.toMatch(WRITERS);
    // The answers follow grouped by theme, to vote on: no writer there either.
    const grouped = await eventually(() =>
      adapter.sent.find((s) => s.conversationRef === channel && s.text.includes("Actie Paars")),
    );
    expect(JSON.stringify(grouped.message)).not.toMatch(WRITERS);

    // The next retro closes the voting first (nobody voted: the action answers become the
    // actions) and reviews them in the channel and in each prompt, without owners.
    core.clock.advance(MINUTE + 1000);
    await advanceProject(core.deps, DEMO_IDS.pilot);
    const actions = await rowsWhere(database.db, "ActionItem", { cycleId: cycle.id });
    expect(actions).toHaveLength(3);
    expect(await database.prisma.actionOwner.count({ where: { action: { cycleId: cycle.id } } })).toBe(0);
    const review = await eventually(() =>
      adapter.sent.find((s) => s.conversationRef === channel && /acties? van de vorige keer/i.test(s.text)),
    );
    expect(review.text).toContain("Actie Paars");
    expect(JSON.stringify(review.message)).not.toMatch(WRITERS);
    const prompt = await eventually(() =>
      adapter.sent.find((s) => s.conversationRef === dm(DEMO_IDS.sanne) && /Vorige keer/.test(s.text)),
    );
    expect(JSON.stringify(prompt.message)).not.toMatch(WRITERS);

    const listed = await say(DEMO_IDS.sanne, "acties");
    const items = JSON.parse(listed)[0].blocks[1].items as unknown[];
    expect(JSON.stringify(items)).toContain("Actie Oranje");
    expect(JSON.stringify(items)).not.toMatch(WRITERS); // the hint below names an example owner
    const home = JSON.stringify(await homeView(core.deps, await person(DEMO_IDS.sanne)));
    expect(home).toContain("Actie Oranje");
    expect(home).not.toMatch(WRITERS);
    expect(
      JSON.stringify(
        await portfolioCommand(core.deps, await person(DEMO_IDS.karin), {
          platform: "web",
          conversationRef: `web:dm:${DEMO_IDS.karin}`,
        }),
      ),
    ).not.toMatch(WRITERS);
    const colleague = JSON.stringify(await exportPersonalData(core.deps, DEMO_IDS.sanne, DEMO_IDS.sanne));
    expect(colleague).not.toMatch(/Oranje|Paars|Groen/);
    const own = JSON.stringify(await exportPersonalData(core.deps, DEMO_IDS.lotte, DEMO_IDS.lotte));
    expect(own).toContain("Actie Paars");
    expect(own).not.toMatch(/Oranje|Groen/);

    // The lead gives an action an owner deliberately.
    const index = items.findIndex((item) => JSON.stringify(item).includes("Actie Oranje"));
    expect(await say(DEMO_IDS.lotte, `acties ${index + 1} eigenaar Emma`)).toMatch(/Alleen de eigenaar/);
    expect(await say(DEMO_IDS.sanne, `acties ${index + 1} eigenaar Lotte`)).toContain("Lotte Jansen");
    const owned = await oneWhere(database.db, "ActionItem", { text: "Actie Oranje" });
    expect((await rowsWhere(database.db, "ActionOwner", { actionId: owned.id })).map((o) => o.personId)).toEqual([
      DEMO_IDS.lotte,
    ]);
    expect(await say(DEMO_IDS.sanne, "acties")).toContain("Lotte Jansen");
  });

  it("does not post the answers when fewer answered than the minimum group size", async () => {
    await advanceProject(core.deps, DEMO_IDS.pilot);
    const cycle = await latest();
    await answer(DEMO_IDS.lotte, cycle, "Zwaluw");
    core.clock.advance(3 * MINUTE);
    await advanceProject(core.deps, DEMO_IDS.pilot);
    const summary = await summaryOf(cycle);
    expect(summary.text).toContain("1 van de 4");
    expect(summary.text).toMatch(/te weinig/i);
    const shown = JSON.stringify(summary.message);
    expect(shown).not.toContain("Zwaluw");
    expect(shown).not.toContain("lesson.confirm");
    // Nothing from them becomes a team action shown at the next retro.
    expect(await countWhere(database.db, "ActionItem", { cycleId: cycle.id })).toBe(0);
    // Their lesson candidates go to the lead alone, to save or not.
    const toLead = await eventually(() =>
      adapter.sent.find((s) => s.conversationRef === dm(DEMO_IDS.sanne) && s.text.includes("Inzicht Zwaluw")),
    );
    const save = toLead.message.blocks
      .flatMap((block) => (block.type === "actions" ? block.buttons : []))
      .find((button) => button.actionId === "lesson.confirm");
    if (!save) throw new Error("no save button for the lead");
    const reply = JSON.stringify(
      await run(DEMO_IDS.sanne, { type: "action", actionId: save.actionId, value: save.value }),
    );
    expect(reply).toMatch(/Bewaard als les/);
    expect(adapter.sent.filter((s) => s.text.includes("Zwaluw")).map((s) => s.conversationRef)).toEqual([
      dm(DEMO_IDS.sanne),
    ]);
  });
});
