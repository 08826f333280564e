import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Message } from "../../src/domain/message.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import type { Mailer, OutgoingMail } from "../../src/ports/mailer.ts";
import { MailError } from "../../src/ports/mailer.ts";
import type { CycleRecord } from "../../src/ports/retro-store.ts";
import { createLogger } from "../../src/runtime/logger.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { composeDigest } from "../../src/use-cases/digest/compose-digest.ts";
import { digestView } from "../../src/use-cases/digest/digest-view.ts";
import { createGuestPage } from "../../src/use-cases/guests/guest-page.ts";
import { sendGuestMails } from "../../src/use-cases/guests/send-guest-mails.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { applyRetention, erasePersonalData, exportPersonalData } from "../../src/use-cases/privacy.ts";
import { responseKeyFor } from "../../src/use-cases/submit-answers.ts";
import { countWhere, updateWhere } from "../support/fixtures.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { createTestCore, prompts } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const KNOWLEDGE = "onderzoeker@hogeschool.example";
const OTHER = "tweede@hogeschool.example";
const DAY = 24 * 60 * 60_000;

/** Stands in for SMTP here (test/e2e/guests-mail.test.ts uses a real server): records, or refuses. */
function recordingMailer(): Mailer & { sent: OutgoingMail[]; refuse: boolean } {
  const mailer = {
    from: { name: "Leerlus", address: "leerlus@gemeente.example" },
    sent: [] as OutgoingMail[],
    refuse: false,
    async send(mail: OutgoingMail) {
      if (mailer.refuse) throw new MailError("SMTP_550", { retryable: false });
      mailer.sent.push(mail);
    },
  };
  return mailer;
}

describe("guests: privacy, the digest per sector, and what the lead is told", () => {
  let database: TestDatabase;
  let core: ReturnType<typeof createTestCore>;
  const mailer = recordingMailer();
  const lines: string[] = [];
  const say = async (personId: string, text: string): Promise<string> => {
    const replies: Message[] = await handleEvent(core.deps, {
      type: "command",
      platform: "web",
      tenantId: DEMO_IDS.organisation,
      platformUserId: personId,
      conversationRef: `web:dm:${personId}`,
      text,
    });
    return replies.map((reply) => reply.fallback).join("\n");
  };
  const guestId = async (email: string) =>
    (await core.deps.stores.guests.personByEmail(DEMO_IDS.organisation, email))?.id ?? "";
  const tokenOf = (mail: OutgoingMail) => /\/guest\?token=([\w.-]+)/.exec(mail.text)?.[1] ?? "";
  let cycle: CycleRecord;

  beforeAll(async () => {
    database = await createTestDatabase();
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    core = createTestCore(database, [createRecordingAdapter("web")], undefined, createLogger("trace", sink), {
      mailer,
    });
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
  });

  afterAll(async () => {
    await core?.close();
    await database?.drop();
  });

  it("a lead is told clearly what went wrong, in English too", async () => {
    await updateWhere(database.db, "Person", { id: DEMO_IDS.sanne }, { locale: "en" });
    expect(await say(DEMO_IDS.sanne, "guest add not-an-address")).toBe("not-an-address is not a valid email address.");
    expect(await say(DEMO_IDS.sanne, `guest add ${KNOWLEDGE} farmers`)).toBe(
      "I don't know that sector. Choose government, market, knowledge or residents.",
    );
    expect(await say(DEMO_IDS.sanne, `guest remove ${KNOWLEDGE}`)).toBe(
      `${KNOWLEDGE} is not a guest of Slimme straatreiniging.`,
    );
    expect(await say(DEMO_IDS.sanne, "guests")).toContain("has no guests yet");
    // A colleague who uses the chat is a member, not a guest.
    await updateWhere(database.db, "Person", { id: DEMO_IDS.emma }, { email: "emma@gemeente.example" });
    expect(await say(DEMO_IDS.sanne, "guest add Emma@Gemeente.example market")).toContain(
      "already uses Leerlus in chat",
    );
    await updateWhere(database.db, "Person", { id: DEMO_IDS.sanne }, { locale: "nl" });
    expect(await say(DEMO_IDS.sanne, `gast toevoegen ${KNOWLEDGE.toUpperCase()} kennis`)).toContain(
      `${KNOWLEDGE} is nu gast van Slimme straatreiniging (kennisinstelling)`,
    );
  });

  it("a guest's answers in an anonymous project carry no name, only the response key", async () => {
    await updateWhere(database.db, "Project", { id: DEMO_IDS.pilot }, { anonymous: true });
    await advanceProject(core.deps, DEMO_IDS.pilot);
    cycle = (await core.deps.stores.retro.latestCycle(DEMO_IDS.pilot)) as CycleRecord;
    expect(await sendGuestMails(core.deps, mailer)).toMatchObject({ sent: 1 });
    const mail = mailer.sent[0] as OutgoingMail;
    expect(mail.to).toBe(KNOWLEDGE);
    expect(mail.text).toContain("anoniem");
    // Sent again (a second worker, a retry): nothing more goes out.
    expect(await sendGuestMails(core.deps, mailer)).toMatchObject({ sent: 0 });

    // Halfway through the window, like members, a guest who has not answered is reminded by mail.
    core.clock.set(new Date(cycle.remindsAt.getTime() + 1_000));
    await advanceProject(core.deps, DEMO_IDS.pilot);
    expect(await sendGuestMails(core.deps, mailer)).toMatchObject({ sent: 1 });
    expect(mailer.sent[1]?.subject).toMatch(/^Herinnering: de retro van Slimme straatreiniging sluit /);
    expect(mailer.sent[1]?.calendar).toBeUndefined();

    const page = createGuestPage(core.deps);
    const shown = await page.open(tokenOf(mail), "nl");
    if (shown.kind !== "form") throw new Error(`expected the form, got ${shown.kind}`);
    const answers = Object.fromEntries(
      cycle.questions.nl.map((q) => [q.key, q.kind === "scale" ? "5" : `Kennis van buiten: ${q.key}`]),
    );
    // A field the form never had (the discipline, say) is not taken from the page.
    expect(await page.submit(tokenOf(mail), { ...answers, form: shown.form.form, discipline: "lead" }, "nl")).toEqual({
      kind: "saved",
    });
    const id = await guestId(KNOWLEDGE);
    const [delivery] = (await core.deps.stores.retro.deliveries(cycle.id)).filter((d) => d.personId === id);
    const rows = (await core.deps.stores.retro.answers(cycle.id)).filter(
      (answer) => answer.responseKey === responseKeyFor(core.deps.secret, delivery?.id ?? ""),
    );
    expect(rows.length).toBe(cycle.questions.nl.length);
    expect(await countWhere(database.db, "Answer", { cycleId: cycle.id, personId: id })).toBe(0);
    expect(delivery?.answeredAt).toBeInstanceOf(Date);
  });

  it("the digest shows participation per sector only where enough people were invited", async () => {
    core.clock.set(new Date(cycle.closesAt.getTime() + 60_000));
    await advanceProject(core.deps, DEMO_IDS.pilot);
    const content = await composeDigest({
      stores: core.deps.stores,
      prompts,
      organisationId: DEMO_IDS.organisation,
      periodStart: new Date(cycle.opensAt.getTime() - DAY),
      periodEnd: new Date(core.clock.now().getTime() + 60_000),
      minGroupSize: 3,
    });
    expect(content.sectors).toEqual([
      { sector: "government", shown: true, invited: 3, answered: 0 },
      { sector: "knowledge", shown: false },
      { sector: "market", shown: false },
    ]);
    const view = digestView({ prompts, locale: "nl", organisationName: "Gemeente Demo", content });
    const section = view.sections.find((candidate) => candidate.id === "sectors");
    expect(section?.items.map((item) => `${item.label}: ${item.text}`)).toEqual([
      "overheid: uitnodigingen beantwoord: 0 van de 3 (0%)",
      "kennisinstelling: Te weinig om te tonen",
      "markt: Te weinig om te tonen",
    ]);
  });

  it("export holds the guest's projects, mails and answers; erasure removes them all", async () => {
    const id = await guestId(KNOWLEDGE);
    const data = (await exportPersonalData(core.deps, id, null)) as Record<string, unknown[]>;
    expect(data.guestOf).toMatchObject([{ projectId: DEMO_IDS.pilot, sector: "knowledge" }]);
    // This cycle's invitation was sent; the next cycle's waits for working hours.
    expect(data.guestMails).toContainEqual(
      expect.objectContaining({ kind: "invite", status: "sent", cycleId: cycle.id }),
    );
    expect(data.answers?.length).toBe(cycle.questions.nl.length);

    await erasePersonalData(core.deps, id, null);
    expect(await countWhere(database.db, "ProjectGuest", { personId: id })).toBe(0);
    expect(await countWhere(database.db, "GuestMail", { personId: id })).toBe(0);
    expect(await countWhere(database.db, "Person", { id })).toBe(0);
  });

  it("a removed guest is erased once the retention period has passed; mail rows go after 30 days", async () => {
    expect(await say(DEMO_IDS.sanne, `gast toevoegen ${OTHER} bewoners en`)).toContain("is nu gast");
    const id = await guestId(OTHER);
    expect(await say(DEMO_IDS.sanne, `gast verwijderen ${OTHER}`)).toContain("is geen gast meer");
    await updateWhere(database.db, "Organisation", { id: DEMO_IDS.organisation }, { retentionMonths: 1 });
    await applyRetention(core.deps, DEMO_IDS.organisation);
    expect(await countWhere(database.db, "Person", { id })).toBe(1);
    core.clock.advance(40 * DAY);
    await applyRetention(core.deps, DEMO_IDS.organisation);
    expect(await countWhere(database.db, "Person", { id })).toBe(0);
    expect(await countWhere(database.db, "GuestMail", {})).toBe(0);
    // Members are never taken for former guests.
    expect(await countWhere(database.db, "Person", { id: DEMO_IDS.lotte })).toBe(1);
  });

  it("no email address reaches the logs", () => {
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join("\n")).not.toMatch(/hogeschool\.example|gemeente\.example/);
  });
});
