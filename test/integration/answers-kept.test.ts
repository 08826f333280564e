import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import { type Block, type Message, plain } from "../../src/domain/message.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { answersOf } from "../support/demo-answers.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { createTestCore } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

type FormBlock = Extract<Block, { type: "form" }>;
const formOf = (messages: Message[]): FormBlock => {
  const block = messages.flatMap((m) => m.blocks).find((b): b is FormBlock => b.type === "form");
  if (!block) throw new Error(`no form in ${messages.map((m) => m.fallback).join(" | ")}`);
  return block;
};
const textOf = (messages: Message[]) =>
  messages
    .flatMap((m) => m.blocks)
    .map((b) => ("text" in b ? plain(b.text) : b.type === "list" ? b.items.map(plain).join("; ") : ""))
    .join("\n");

// The pilot's questions (prompts/retro/phase-pilot.nl.yaml).
const FIRST = {
  practice: "Bewoners melden zwerfvuil vaker via de app.",
  evidence: "Meldingen +40% in twee wijken.",
  "after-pilot": "Eigenaar bij Stadsbeheer gezocht.",
  collaboration: "Juridisch sloot pas laat aan.",
  "learning-score": "4",
};

describe("changing an answer never erases another", () => {
  let database: TestDatabase;
  let core: ReturnType<typeof createTestCore>;
  let cycleId: string;
  const person = (id: string) => ({
    platform: "web" as const,
    tenantId: DEMO_IDS.organisation,
    platformUserId: id,
    conversationRef: `web:dm:${id}`,
  });
  const handle = (event: InboundEvent) => handleEvent(core.deps, event);
  const submit = (who: string, value: string, answers: Record<string, string>) =>
    handle({ ...person(who), type: "formSubmitted", actionId: "retro.answer", value, answers });
  const stored = (who: string) => answersOf(database.db, core.deps.secret, cycleId, who);

  beforeAll(async () => {
    database = await createTestDatabase();
    core = createTestCore(database, [createRecordingAdapter("web")]);
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
    await advanceProject(core.deps, DEMO_IDS.pilot);
    cycleId = (await database.db.retroCycle.findFirstOrThrow({ where: { projectId: DEMO_IDS.pilot, status: "open" } }))
      .id;
  });

  afterAll(async () => {
    await core?.close();
    await database?.drop();
  });

  it("the form sent again after a reload with one answer changed keeps every other answer and says what changed", async () => {
    expect(textOf(await submit(DEMO_IDS.sanne, cycleId, FIRST))).toMatch(/opgeslagen/);
    // After a reload the chat shows the form as it was first sent: empty. Only one field is filled in.
    const again = await submit(DEMO_IDS.sanne, cycleId, {
      practice: "Bewoners melden vaker, vooral 's avonds.",
      evidence: "",
      "after-pilot": "",
      collaboration: "",
    });
    expect(await stored(DEMO_IDS.sanne)).toEqual({ ...FIRST, practice: "Bewoners melden vaker, vooral 's avonds." });
    expect(textOf(again)).toMatch(/Bijgewerkt: "Wat heeft de pilot ons in de praktijk geleerd/);
    expect(textOf(again)).not.toMatch(/Gewist/);
  });

  it("the required answers a resend leaves empty are kept, not refused", async () => {
    const again = await submit(DEMO_IDS.sanne, cycleId, {
      practice: "",
      "after-pilot": "",
      collaboration: "Nu beter.",
    });
    expect(again[0]?.fieldErrors).toBeUndefined();
    expect((await stored(DEMO_IDS.sanne)).collaboration).toBe("Nu beter.");
    expect((await stored(DEMO_IDS.sanne))["after-pilot"]).toBe(FIRST["after-pilot"]);
  });

  it("the form opens prefilled, and a field shown filled and emptied is cleared; the confirmation names it", async () => {
    const opened = formOf(
      await handle({ ...person(DEMO_IDS.sanne), type: "action", actionId: "retro.open", value: cycleId }),
    );
    const shown = Object.fromEntries(opened.inputs.map((input) => [input.key, String(input.value ?? "")]));
    expect(shown.evidence).toBe(FIRST.evidence);
    expect(shown["learning-score"]).toBe("4");
    const reply = await submit(DEMO_IDS.sanne, opened.submit.value, { ...shown, evidence: "", "learning-score": "5" });
    const now = await stored(DEMO_IDS.sanne);
    expect(now.evidence).toBeUndefined();
    expect(now["learning-score"]).toBe("5");
    expect(now.practice).toBe("Bewoners melden vaker, vooral 's avonds.");
    expect(textOf(reply)).toMatch(/Bijgewerkt: "Hoe goed hebben we deze periode van elkaar geleerd\?"/);
    expect(textOf(reply)).toMatch(/Gewist: "Waaruit blijkt nu dat het publieke waarde oplevert\?"/);
  });

  it("a prefilled form only changes what was changed in it, even when an answer changed elsewhere meanwhile", async () => {
    const opened = formOf(
      await handle({ ...person(DEMO_IDS.sanne), type: "action", actionId: "retro.open", value: cycleId }),
    );
    const shown = Object.fromEntries(opened.inputs.map((input) => [input.key, String(input.value ?? "")]));
    // Another tab changes the collaboration answer after this form was shown.
    await submit(DEMO_IDS.sanne, cycleId, { collaboration: "Uit een ander venster." });
    await submit(DEMO_IDS.sanne, opened.submit.value, { ...shown, practice: "Alleen dit veranderd." });
    const now = await stored(DEMO_IDS.sanne);
    expect(now.collaboration).toBe("Uit een ander venster.");
    expect(now.practice).toBe("Alleen dit veranderd.");
  });

  it("a prefilled form of someone else changes nothing of theirs: the form's owner comes from the request", async () => {
    await submit(DEMO_IDS.ahmed, cycleId, { ...FIRST, practice: "Ahmeds antwoord." });
    const sannes = formOf(
      await handle({ ...person(DEMO_IDS.sanne), type: "action", actionId: "retro.open", value: cycleId }),
    );
    // Ahmed sends Sanne's form with a field emptied: he acts on his own answers only, and emptying
    // a field his own form never showed filled clears nothing.
    await submit(DEMO_IDS.ahmed, sannes.submit.value, { evidence: "", practice: "" });
    expect((await stored(DEMO_IDS.ahmed)).evidence).toBe(FIRST.evidence);
    expect((await stored(DEMO_IDS.ahmed)).practice).toBe("Ahmeds antwoord.");
  });

  it("sending an unchanged form says nothing changed", async () => {
    const opened = formOf(
      await handle({ ...person(DEMO_IDS.sanne), type: "action", actionId: "retro.open", value: cycleId }),
    );
    const shown = Object.fromEntries(opened.inputs.map((input) => [input.key, String(input.value ?? "")]));
    expect(textOf(await submit(DEMO_IDS.sanne, opened.submit.value, shown))).toMatch(/niets veranderd/);
  });

  it("the checkpoint evidence form opens with the lead's evidence; sent unchanged it keeps evidence added since", async () => {
    const karin = { ...person(DEMO_IDS.karin) };
    await handle({ ...karin, conversationRef: `web:channel:${DEMO_IDS.pilot}`, type: "command", text: "toetspunten" });
    const checkpoint = await database.db.checkpoint.findFirstOrThrow({
      where: { projectId: DEMO_IDS.pilot, status: "open" },
    });
    const lead = { ...person(DEMO_IDS.sanne), conversationRef: `web:channel:${DEMO_IDS.pilot}` };
    await handle({ ...lead, type: "command", text: `onderbouwing ${checkpoint.key} Verslag van de eerste sessie.` });
    const opened = formOf(
      await handle({ ...karin, type: "action", actionId: "checkpoint.done", value: checkpoint.id }),
    );
    expect(opened.inputs[0]?.value).toBe("Verslag van de eerste sessie.");
    // Emptied, the evidence is refused next to the field: it is required, and stays as it was.
    const empty = await handle({
      ...karin,
      type: "formSubmitted",
      actionId: opened.submit.actionId,
      value: opened.submit.value,
      answers: { note: "" },
    });
    expect(empty[0]?.fieldErrors?.note).toBeTruthy();
    // The lead improves the evidence while Karin's form is open; she sends the form as it showed.
    await handle({ ...lead, type: "command", text: `onderbouwing ${checkpoint.key} Verslag en DPIA, getekend.` });
    await handle({
      ...karin,
      type: "formSubmitted",
      actionId: opened.submit.actionId,
      value: opened.submit.value,
      answers: { note: "Verslag van de eerste sessie." },
    });
    const decided = await database.db.checkpoint.findUniqueOrThrow({ where: { id: checkpoint.id } });
    expect(decided.status).toBe("done");
    expect(decided.evidence).toBe("Verslag en DPIA, getekend.");
  });
});
