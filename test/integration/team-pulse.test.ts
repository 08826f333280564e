import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderDigestPage } from "../../adapters/web/digest-html.ts";
import { escapeHtml } from "../../adapters/web/render-html.ts";
import type { DigestContent } from "../../src/domain/digest-content.ts";
import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import type { Locale } from "../../src/domain/locale.ts";
import { type Message, plain } from "../../src/domain/message.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import { createStores } from "../../src/persistence/unit-of-work.ts";
import type { CycleRecord } from "../../src/ports/retro-store.ts";
import { digestPdf } from "../../src/runtime/digest-pdf.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { composeDigest } from "../../src/use-cases/digest/compose-digest.ts";
import { digestView } from "../../src/use-cases/digest/digest-view.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { pdfText } from "../support/pdf-text.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestCore, prompts } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const MINUTE = 60_000;
const pilotChannel = `web:channel:${DEMO_IDS.pilot}`;
const dm = (personId: string) => `web:dm:${personId}`;
const who = (personId: string, conversationRef = dm(personId)) => ({
  tenantId: DEMO_IDS.organisation,
  platformUserId: personId,
  conversationRef,
});
const submit = (personId: string, cycleId: string, answers: Record<string, string>): InboundEvent => ({
  type: "formSubmitted",
  platform: "web",
  ...who(personId),
  actionId: "retro.answer",
  value: cycleId,
  answers,
});
const say = (personId: string, text: string, where = pilotChannel): InboundEvent => ({
  type: "command",
  platform: "web",
  ...who(personId, where),
  text,
});

const pulseKeys = prompts.teamPulse("nl").statements.map((statement) => `pulse-${statement.key}`);
const SPEAK_UP = "pulse-speak-up";

/** A retro's own answers, and the pulse with `score` on every statement when given. */
function answers(cycle: CycleRecord, score?: number): Record<string, string> {
  const own = cycle.questions.nl.filter((question) => !question.pulse);
  return {
    ...Object.fromEntries(own.map((q) => [q.key, q.kind === "scale" ? "4" : `Iets over ${q.key}`])),
    ...(score === undefined ? {} : Object.fromEntries(pulseKeys.map((key) => [key, String(score)]))),
  };
}

function formInputs(message: Message | undefined): string[] {
  return (message?.blocks ?? []).flatMap((block) => (block.type === "form" ? block.inputs.map((i) => i.key) : []));
}

// The team pulse on PostgreSQL and Redis with the real core: when it is asked, and when its
// results may be shown, in the channel's summary and the adviser's digest (page and PDF).
describe("the team pulse", () => {
  let database: TestDatabase;
  let core: ReturnType<typeof createTestCore>;
  const adapter = createRecordingAdapter("web");
  const cycles: CycleRecord[] = [];
  const closedAt: Date[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    core = createTestCore(database, [adapter]);
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
  });

  afterAll(async () => {
    await core?.close();
    await database?.drop();
  });

  /** Opens the pilot's next retro and returns it with Lotte's prompt. */
  async function open(sequence: number) {
    for (let tries = 0; tries < 6; tries++) {
      await advanceProject(core.deps, DEMO_IDS.pilot);
      const latest = await core.deps.stores.retro.latestCycle(DEMO_IDS.pilot);
      if (latest?.sequence === sequence && latest.status === "open") {
        cycles[sequence] = latest;
        const prompt = await eventually(() =>
          adapter.sent.find((s) => s.conversationRef === dm(DEMO_IDS.lotte) && s.text.includes(`Retro ${sequence}`)),
        );
        return { cycle: latest, prompt: prompt.message };
      }
      core.clock.advance(MINUTE);
    }
    throw new Error(`retro ${sequence} did not open`);
  }

  /** Closes the open retro and returns the channel's summary of it. */
  async function close(sequence: number) {
    const cycle = cycles[sequence] as CycleRecord;
    core.clock.advance(cycle.closesAt.getTime() - core.clock.now().getTime() + 1000);
    await advanceProject(core.deps, DEMO_IDS.pilot);
    const row = await database.prisma.retroCycle.findUniqueOrThrow({ where: { id: cycle.id } });
    expect(row.status).toBe("closed");
    closedAt[sequence] = row.closedAt as Date;
    const summary = await eventually(() =>
      adapter.sent.find(
        (s) =>
          s.conversationRef === pilotChannel &&
          // A retro nobody answered closes with one line, not a summary.
          (s.text.includes(`Samenvatting van retro ${sequence} `) ||
            s.text.includes(`Retro ${sequence} van Slimme straatreiniging is gesloten: niemand heeft geantwoord`)),
      ),
    );
    // Scores come as fields (label and value), which the recording's plain text leaves out.
    const fields = summary.message.blocks.flatMap((block) =>
      block.type === "fields" ? block.fields.map((field) => `${field.label}: ${plain(field.value)}`) : [],
    );
    return [summary.text, ...fields].join("\n");
  }

  const digest = (from: Date, to: Date) =>
    composeDigest({
      stores: createStores(database.db),
      prompts,
      organisationId: DEMO_IDS.organisation,
      periodStart: from,
      periodEnd: to,
      minGroupSize: 3,
    });

  function rendered(content: DigestContent, locale: Locale) {
    const view = digestView({ prompts, locale, organisationName: "Gemeente Demo", content });
    const words = {
      markdown: "md",
      pdf: "pdf",
      archive: "archief",
      hidden: prompts.t(locale, "digests.chart.hidden"),
      period: prompts.t(locale, "digests.chart.period"),
    };
    return {
      view,
      html: renderDigestPage({ view, links: { markdown: "#", pdf: "#", archive: "#" }, words }),
      pdf: digestPdf(view, words.hidden).then((buffer) => pdfText(buffer).text),
    };
  }

  it("asks the pulse in the 4th retro and not in the 3rd, after the retro's own questions, in every language", async () => {
    for (const sequence of [1, 2, 3]) {
      const { cycle, prompt } = await open(sequence);
      expect(cycle.questions.nl.some((question) => question.pulse)).toBe(false);
      expect(formInputs(prompt).some((key) => key.startsWith("pulse-"))).toBe(false);
      await close(sequence);
    }
    const { cycle, prompt } = await open(4);
    for (const locale of ["nl", "en"] as const) {
      const keys = cycle.questions[locale].map((question) => question.key);
      expect(keys.slice(-pulseKeys.length)).toEqual(pulseKeys);
      const statements = prompts.teamPulse(locale).statements.map((statement) => statement.text);
      expect(cycle.questions[locale].filter((q) => q.pulse).map((q) => [q.text, q.kind, q.required])).toEqual(
        statements.map((text) => [text, "scale", false]),
      );
    }
    expect(formInputs(prompt).slice(-pulseKeys.length)).toEqual(pulseKeys);
    expect(
      adapter.sent.find((s) => s.conversationRef === dm(DEMO_IDS.lotte) && s.text.includes("Retro 4"))?.text,
    ).toContain(prompts.t("nl", "retro.pulse.intro"));
  });

  it("hides the results when fewer than the minimum group size answered the pulse, in the summary and the digest", async () => {
    const cycle = cycles[4] as CycleRecord;
    // Three answer the retro, two of them the pulse as well: the retro's summary is shared, the pulse is not.
    await handleEvent(core.deps, submit(DEMO_IDS.sanne, cycle.id, answers(cycle, 4)));
    await handleEvent(core.deps, submit(DEMO_IDS.ahmed, cycle.id, answers(cycle, 2)));
    await handleEvent(core.deps, submit(DEMO_IDS.lotte, cycle.id, answers(cycle)));
    const summary = await close(4);
    expect(summary).toContain(prompts.t("nl", "retro.pulse.heading"));
    expect(summary).toContain(prompts.t("nl", "retro.pulse.withheld", { minimum: 3 }));
    expect(summary).not.toMatch(/van de 5/);
    for (const statement of prompts.teamPulse("nl").statements) expect(summary).not.toContain(statement.text);

    const content = await digest(
      new Date((closedAt[3]?.getTime() ?? 0) + 1000),
      new Date((closedAt[4]?.getTime() ?? 0) + 1000),
    );
    // The period holds retro 4 and nothing else: its 4 invitations, 3 answered.
    expect(content.participationOverTime.at(-1)).toMatchObject({ shown: true, invited: 4, answered: 3 });
    expect(content.teamPulse?.at(-1)).toEqual(expect.objectContaining({ shown: false }));
    expect(Object.keys(content.teamPulse?.at(-1) ?? {})).not.toContain("averages");
    const { html, pdf } = rendered(content, "nl");
    expect(html).toContain(prompts.t("nl", "digests.sections.team-pulse"));
    expect(html).toContain(escapeHtml(prompts.t("nl", "digests.pulse-none")));
    expect(html).not.toMatch(/\d,\d van de 5/);
    expect(await pdf).toContain(prompts.t("nl", "digests.pulse-none"));
  });

  it("shows each statement's mean at the minimum group size, counts a repeated or double-clicked answer once, and keeps a trend", async () => {
    // The lead asks for the pulse in every retro from now on.
    const [set] = await handleEvent(core.deps, say(DEMO_IDS.sanne, "teampeiling 1"));
    expect(set?.fallback).toContain(prompts.t("nl", "project.pulse-set", { every: 1, count: 1 }));
    const { cycle } = await open(5);
    expect(cycle.questions.nl.some((question) => question.pulse)).toBe(true);
    // Emma sends 1s, changes her mind to 3s, and her browser sends that twice at once.
    await handleEvent(core.deps, submit(DEMO_IDS.emma, cycle.id, answers(cycle, 1)));
    await Promise.all([
      handleEvent(core.deps, submit(DEMO_IDS.emma, cycle.id, answers(cycle, 3))),
      handleEvent(core.deps, submit(DEMO_IDS.emma, cycle.id, answers(cycle, 3))),
    ]);
    // The last of the four to answer closes the retro early.
    await handleEvent(core.deps, submit(DEMO_IDS.sanne, cycle.id, answers(cycle, 4)));
    await handleEvent(core.deps, submit(DEMO_IDS.ahmed, cycle.id, answers(cycle, 4)));
    await handleEvent(core.deps, submit(DEMO_IDS.lotte, cycle.id, answers(cycle, 5)));
    expect(await database.prisma.answer.count({ where: { cycleId: cycle.id, questionKey: SPEAK_UP } })).toBe(4);
    const summary = await close(5);
    expect(summary).toContain(prompts.t("nl", "retro.pulse.respondents", { count: 4 }));
    // (4 + 4 + 5 + 3) / 4, not (4 + 4 + 5 + 1 + 3) / 5.
    for (const statement of prompts.teamPulse("nl").statements) expect(summary).toContain(statement.text);
    expect(summary).toContain(prompts.t("nl", "retro.pulse.average", { average: "4" }));
    expect(summary).not.toContain("eerdere peilingen");

    // In an anonymous project the pulse works the same; its answers carry no name.
    await handleEvent(core.deps, say(DEMO_IDS.sanne, "anoniem aan"));
    const next = (await open(6)).cycle;
    for (const personId of [DEMO_IDS.sanne, DEMO_IDS.ahmed, DEMO_IDS.lotte]) {
      await handleEvent(core.deps, submit(personId, next.id, answers(next, 3)));
    }
    const pulseAnswers = await database.prisma.answer.findMany({ where: { cycleId: next.id, questionKey: SPEAK_UP } });
    expect(pulseAnswers.map((answer) => answer.personId)).toEqual([null, null, null]);
    const trend = await close(6);
    expect(trend).toContain(prompts.t("nl", "retro.pulse.respondents", { count: 3 }));
    expect(trend).toContain(prompts.t("nl", "retro.pulse.earlier", { average: "3", earlier: "4" }));

    // The digest over retros 5 and 6: 7 pulses answered, speak-up (16 + 9) / 7 = 3.6.
    const content = await digest(
      new Date((closedAt[4]?.getTime() ?? 0) + 1000),
      new Date((closedAt[6]?.getTime() ?? 0) + 1000),
    );
    expect(content.teamPulse?.at(-1)).toMatchObject({ shown: true, respondents: 7, averages: { [SPEAK_UP]: 3.6 } });
    for (const locale of ["nl", "en"] as const) {
      const { view, html, pdf } = rendered(content, locale);
      const section = view.sections.find((candidate) => candidate.id === "team-pulse");
      const speakUp = prompts.teamPulse(locale).statements[0]?.text as string;
      const mean = prompts.t(locale, "digests.pulse-item", { average: locale === "nl" ? "3,6" : "3.6" });
      expect(section?.items).toContainEqual({ label: speakUp, text: mean });
      expect(html).toContain(escapeHtml(mean));
      expect(html).toContain(prompts.t(locale, "digests.chart.pulse-title"));
      expect(await pdf).toContain(mean);
    }
  });

  it("lets the lead turn the pulse off, and refuses an unclear setting with a hint", async () => {
    const [unclear] = await handleEvent(core.deps, say(DEMO_IDS.sanne, "teampeiling vaak"));
    expect(unclear?.fallback).toBe(prompts.t("nl", "project.pulse-unclear"));
    const [member] = await handleEvent(core.deps, say(DEMO_IDS.ahmed, "teampeiling uit"));
    expect(member?.fallback).not.toBe(prompts.t("nl", "project.pulse-off"));
    const [off] = await handleEvent(core.deps, say(DEMO_IDS.sanne, "teampeiling uit"));
    expect(off?.fallback).toBe(prompts.t("nl", "project.pulse-off"));
    expect((await open(7)).cycle.questions.nl.some((question) => question.pulse)).toBe(false);
  });
});
