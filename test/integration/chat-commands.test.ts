import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { countWhere, insertRow, rowsWhere } from "../support/fixtures.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestCore } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

function command(personId: string, text: string, conversationRef = `web:dm:${personId}`): InboundEvent {
  return {
    type: "command",
    platform: "web",
    tenantId: DEMO_IDS.organisation,
    platformUserId: personId,
    conversationRef,
    text,
  };
}

describe("chat commands", () => {
  let database: TestDatabase;
  let core: ReturnType<typeof createTestCore>;
  const adapter = createRecordingAdapter("web");
  const say = async (personId: string, text: string, where?: string) =>
    (await handleEvent(core.deps, command(personId, text, where))).map(
      (message) => message.fallback + JSON.stringify(message.blocks),
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    core = createTestCore(database, [adapter]);
    await seedDemo(database.db, { now: core.clock.now(), fast: false });
  });

  afterAll(async () => {
    await core?.close();
    await database?.drop();
  });

  it("help lists the commands that fit the person's role, in their language", async () => {
    const lead = (await say(DEMO_IDS.sanne, "help")).join();
    expect(lead).toContain("retro nu");
    const member = (await say(DEMO_IDS.emma, "help")).join();
    expect(member).toContain("lessons <words>");
    expect(member).not.toContain("retro now");
  });

  it("help in Slack says to type /leerlus in a channel; the web chat's help has no channel hint", async () => {
    await insertRow(database.db, "Install", {
      organisationId: DEMO_IDS.organisation,
      platform: "slack",
      tenantId: "T-help",
    });
    await insertRow(database.db, "ChatIdentity", {
      personId: DEMO_IDS.emma,
      platform: "slack",
      tenantId: "T-help",
      platformUserId: "U-emma",
    });
    const [slack] = await handleEvent(core.deps, {
      type: "command",
      platform: "slack",
      tenantId: "T-help",
      platformUserId: "U-emma",
      conversationRef: "D-emma",
      text: "help",
    });
    expect(JSON.stringify(slack?.blocks)).toContain("/leerlus help");
    expect((await say(DEMO_IDS.emma, "help")).join()).not.toContain("/leerlus");
  });

  it("only the lead can start a retro, and only once while it is open", async () => {
    expect((await say(DEMO_IDS.lotte, "retro now", `web:channel:${DEMO_IDS.pilot}`)).join()).toMatch(
      /Alleen de trekker/,
    );
    expect(await countWhere(database.db, "RetroCycle")).toBe(0);
    expect((await say(DEMO_IDS.sanne, "retro nu")).join()).toMatch(/is gestart/);
    expect(await countWhere(database.db, "RetroCycle", { projectId: DEMO_IDS.pilot })).toBe(1);
    await eventually(() => adapter.sent.some((s) => s.conversationRef === `web:dm:${DEMO_IDS.emma}`));
    expect((await say(DEMO_IDS.sanne, "retro now")).join()).toMatch(/staat al een retro open/);
    expect(await countWhere(database.db, "RetroCycle")).toBe(1);
  });

  it("lessons searches in Dutch with stemming, and in English", async () => {
    const dutch = (await say(DEMO_IDS.lotte, "lessen gebruiker")).join();
    expect(dutch).toContain("Betrek gebruikers vanaf de eerste schets");
    const english = (await say(DEMO_IDS.emma, "lessons owner")).join();
    expect(english).toMatch(/lessons about/);
    const phrase = (await say(DEMO_IDS.lotte, 'lessen "dpia voordat"')).join();
    expect(phrase).toContain("Regel de DPIA");
    expect((await say(DEMO_IDS.lotte, "lessen xyzzy")).join()).toMatch(/Geen lessen gevonden/);
  });

  it("actions lists open actions of the person's projects with owners", async () => {
    const dashboard = await insertRow(database.db, "ActionItem", {
      projectId: DEMO_IDS.implementation,
      text: "Dashboard testen met raadsleden",
    });
    await insertRow(database.db, "ActionOwner", { actionId: dashboard.id, personId: DEMO_IDS.mark });
    expect((await say(DEMO_IDS.ahmed, "acties")).join()).toContain("Dashboard testen met raadsleden");
    expect((await say(DEMO_IDS.emma, "actions")).join()).toMatch(/no open actions/);
    // The lead hands it over; a member who does not own it cannot.
    expect((await say(DEMO_IDS.lotte, "acties 1 eigenaar Ahmed")).join()).toMatch(/Alleen de eigenaar/);
    expect((await say(DEMO_IDS.mark, "acties 1 eigenaar xyz")).join()).toMatch(/Ik weet niet wie/);
    expect((await say(DEMO_IDS.mark, "acties 9 eigenaar Ahmed")).join()).toMatch(/geen actie met dat nummer/);
    expect((await say(DEMO_IDS.mark, "acties 1 eigenaar ahmed")).join()).toMatch(/Ahmed El Amrani is nu eigenaar/);
    // Mark, its owner (and the lead), hands it over: Ahmed owns it in his place.
    const owners = await rowsWhere(database.db, "ActionOwner", { actionId: dashboard.id });
    expect(owners.map((owner) => [owner.personId, owner.assignedById])).toEqual([[DEMO_IDS.ahmed, DEMO_IDS.mark]]);
  });

  it("answers unknown commands, unknown people and other people's retros with what to do next", async () => {
    expect((await say(DEMO_IDS.emma, "dance")).join()).toMatch(/Type help/);
    const stranger = await handleEvent(core.deps, { ...command(DEMO_IDS.emma, "help"), platformUserId: "nobody" });
    expect(stranger[0]?.fallback).toMatch(/Ik ken je nog niet/);
    const cycle = await database.prisma.retroCycle.findFirstOrThrow();
    const intruder = await handleEvent(core.deps, {
      type: "formSubmitted",
      platform: "web",
      tenantId: DEMO_IDS.organisation,
      platformUserId: DEMO_IDS.karin,
      conversationRef: `web:dm:${DEMO_IDS.karin}`,
      actionId: "retro.answer",
      value: cycle.id,
      answers: {},
    });
    expect(intruder[0]?.fallback).toMatch(/niet voor jou/);
    expect(await countWhere(database.db, "Answer")).toBe(0);
  });
});
