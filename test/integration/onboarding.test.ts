import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import type { Message } from "../../src/domain/message.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { countWhere, oneWhere } from "../support/fixtures.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { createTestCore } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const form = (messages: Message[]) => messages.flatMap((m) => m.blocks).find((b) => b.type === "form");
const text = (messages: Message[]) => messages.map((m) => `${m.fallback} ${JSON.stringify(m.blocks)}`).join(" ");

describe("onboarding: from install to a scheduled first retro", () => {
  let database: TestDatabase;
  let core: ReturnType<typeof createTestCore>;
  const handle = (event: InboundEvent) => handleEvent(core.deps, event);
  const web = (personId: string, conversationRef = `web:dm:${personId}`) => ({
    platform: "web" as const,
    tenantId: DEMO_IDS.organisation,
    platformUserId: personId,
    conversationRef,
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    core = createTestCore(database, [createRecordingAdapter("web")]);
    await seedDemo(database.db, { now: core.clock.now(), fast: false });
  });

  afterAll(async () => {
    await core?.close();
    await database?.drop();
  });

  it("sets up a project from the web chat; invalid values get field errors and create nothing", async () => {
    const opened = await handle({ ...web(DEMO_IDS.lotte), type: "command", text: "opzetten" });
    const setup = form(opened);
    if (setup?.type !== "form") throw new Error("no setup form");
    expect(setup.inputs.find((input) => input.key === "cadence")?.value).toBe("elke 2 weken donderdag 15:00");
    expect(setup.inputs.find((input) => input.key === "lead")?.value).toBe(DEMO_IDS.lotte);
    const projectsBefore = await countWhere(database.db, "Project");

    const submit = (answers: Record<string, string>) =>
      handle({
        ...web(DEMO_IDS.lotte),
        type: "formSubmitted",
        actionId: setup.submit.actionId,
        value: setup.submit.value,
        answers,
      });
    const invalid = await submit({ name: "", phase: "later", cadence: "soms", lead: "nobody" });
    expect(Object.keys(invalid[0]?.fieldErrors ?? {}).sort()).toEqual(["cadence", "lead", "name", "phase"]);
    expect(await countWhere(database.db, "Project")).toBe(projectsBefore);

    const done = await submit({
      name: "Slimme lantaarnpalen",
      phase: "explore",
      cadence: "elke 2 weken donderdag 15:00",
      lead: DEMO_IDS.lotte,
      manager: DEMO_IDS.karin,
      adviser: DEMO_IDS.joost,
    });
    expect(done[0]?.fallback).toMatch(/Slimme lantaarnpalen is opgezet/);
    expect(done[0]?.fallback.split(";")).toHaveLength(3);
    const project = await database.prisma.project.findFirstOrThrow({
      where: { name: "Slimme lantaarnpalen" },
      include: { memberships: true, channels: true },
    });
    expect(project.memberships.map((m) => `${m.role}:${m.personId}`).sort()).toEqual(
      [`adviser:${DEMO_IDS.joost}`, `lead:${DEMO_IDS.lotte}`, `manager:${DEMO_IDS.karin}`].sort(),
    );
    expect(project.channels[0]?.conversationRef).toBe(`web:channel:${project.id}`);
    expect(project.cadence).toMatchObject({ kind: "weekly", weekday: 4, time: "15:00", everyWeeks: 2 });
    expect(await countWhere(database.db, "AuditEvent", { kind: "project.created", subject: project.id })).toBe(1);
  });

  it("welcomes the installer in a channel with a setup button; joiners become members and can opt out", async () => {
    const slack = { platform: "slack" as const, tenantId: "T1", conversationRef: "slack:T1:C1" };
    const welcome = await handle({
      ...slack,
      type: "installed",
      platformUserId: "U1",
      tenantName: "Gemeente Slack",
      directRef: "slack:T1:U1",
      profile: { displayName: "Ineke Installer", locale: "nl-NL" },
    });
    expect(text(welcome)).toMatch(/Dit kanaal als project opzetten/);
    const button = welcome.flatMap((m) => m.blocks).find((b) => b.type === "actions");
    if (button?.type !== "actions") throw new Error("no setup button");
    const opened = await handle({
      ...slack,
      type: "action",
      platformUserId: "U1",
      actionId: button.buttons[0]?.actionId ?? "",
      value: "channel",
    });
    const setup = form(opened);
    if (setup?.type !== "form") throw new Error("no setup form");
    const installer = await oneWhere(database.db, "Person", { displayName: "Ineke Installer" });
    expect(installer.roles).toContain("admin");
    await handle({
      ...slack,
      type: "formSubmitted",
      platformUserId: "U1",
      actionId: setup.submit.actionId,
      value: setup.submit.value,
      answers: { name: "Afvalscheiding", phase: "pilot", cadence: "weekly monday 10:00", lead: installer.id },
    });
    const project = await database.prisma.project.findFirstOrThrow({
      where: { name: "Afvalscheiding" },
      include: { channels: true },
    });
    expect(project.channels[0]?.conversationRef).toBe("slack:T1:C1");
    expect(project.organisationId).toBe(installer.organisationId);

    await handle({
      ...slack,
      type: "memberJoined",
      platformUserId: "U2",
      directRef: "slack:T1:U2",
      profile: { displayName: "Jan Joiner" },
    });
    const jan = await oneWhere(database.db, "Person", { displayName: "Jan Joiner" });
    expect(
      await countWhere(database.db, "Membership", { projectId: project.id, personId: jan.id, role: "member" }),
    ).toBe(1);
    expect(text(await handle({ ...slack, type: "command", platformUserId: "U2", text: "afmelden" }))).toMatch(
      /niet meer mee/,
    );
    expect(await countWhere(database.db, "Membership", { projectId: project.id, personId: jan.id })).toBe(0);
    expect(text(await handle({ ...slack, type: "command", platformUserId: "U1", text: "setup" }))).toMatch(
      /al een project/,
    );
  });

  it("asks people their discipline once, in their first prompt, not at setup", async () => {
    const project = await oneWhere(database.db, "Project", { name: "Slimme lantaarnpalen" });
    const first = await handle({
      ...web(DEMO_IDS.lotte, `web:channel:${project.id}`),
      type: "command",
      text: "retro nu",
    });
    expect(first[0]?.fallback).toMatch(/gestart/);
    const cycle = await oneWhere(database.db, "RetroCycle", { projectId: project.id });
    const prompt = await database.prisma.outboxMessage.findUniqueOrThrow({
      where: { key: `prompt:${cycle.id}:${DEMO_IDS.lotte}` },
      include: { body: true },
    });
    expect(JSON.stringify(prompt.body.message)).toContain('"key":"discipline"');
    const questions = (cycle.questions as { nl: { key: string; kind: string }[] }).nl;
    const answers = Object.fromEntries(questions.map((q) => [q.key, q.kind === "scale" ? "4" : "Goed gegaan"]));
    const saved = await handle({
      ...web(DEMO_IDS.lotte),
      type: "formSubmitted",
      actionId: "retro.answer",
      value: cycle.id,
      answers: { ...answers, discipline: "policy" },
    });
    expect(saved[0]?.fallback).toMatch(/opgeslagen/);
    const membership = await oneWhere(database.db, "Membership", { projectId: project.id, personId: DEMO_IDS.lotte });
    expect(membership.discipline).toBe("policy");
    const form = await handle({ ...web(DEMO_IDS.lotte), type: "action", actionId: "retro.open", value: cycle.id });
    expect(JSON.stringify(form)).not.toContain('"key":"discipline"');
  });

  it("lets people set their language and timezone", async () => {
    expect(text(await handle({ ...web(DEMO_IDS.ahmed), type: "command", text: "instellingen" }))).toMatch(
      /Je taal is Nederlands en je tijdzone Amsterdam\./,
    );
    expect(
      text(await handle({ ...web(DEMO_IDS.ahmed), type: "command", text: "instellingen tijdzone Mars/Base" })),
    ).toMatch(/ken de tijdzone/);
    const saved = await handle({
      ...web(DEMO_IDS.ahmed),
      type: "command",
      text: "instellingen taal en tijdzone Europe/London",
    });
    expect(text(saved)).toMatch(/Saved. Your language is English and your timezone is London\./);
    expect(text(await handle({ ...web(DEMO_IDS.ahmed), type: "command", text: "help" }))).toMatch(/Leerlus commands/);
  });

  it("lets the lead change window, anonymity, roles and members, each confirmed with the next three dates", async () => {
    const channel = `web:channel:${DEMO_IDS.pilot}`;
    const lead = (command: string) => handle({ ...web(DEMO_IDS.sanne, channel), type: "command", text: command });
    expect(text(await handle({ ...web(DEMO_IDS.lotte, channel), type: "command", text: "venster 3" }))).toMatch(
      /Alleen de trekker/,
    );
    const window = await lead("venster 3");
    expect(text(window)).toMatch(/3 werkdagen/);
    expect(text(window)).toMatch(/Volgende retro's/);
    expect((await oneWhere(database.db, "Project", { id: DEMO_IDS.pilot })).answerWindowMinutes).toBe(3 * 24 * 60);
    expect(text(await lead("venster 99"))).toMatch(/Hoeveel werkdagen/);
    expect(text(await lead("anoniem aan"))).toMatch(/zonder namen/);
    expect(await countWhere(database.db, "AuditEvent", { kind: "privacy.anonymity-changed" })).toBe(1);
    expect(text(await lead("rol Mark manager"))).toMatch(/Mark de Boer is nu manager/);
    expect(text(await lead("rol Mark koning"))).toMatch(/Welke rol/);
    expect(text(await lead("toevoegen Joost"))).toMatch(/Joost Smit is nu lid/);
    expect(text(await lead("verwijderen Joost"))).toMatch(/Joost Smit doet niet meer mee/);
    expect(text(await lead("toevoegen Niemand"))).toMatch(/niet precies één persoon/);
    expect(await database.prisma.auditEvent.count({ where: { kind: { in: ["role.granted", "role.revoked"] } } })).toBe(
      3,
    );
  });
});
