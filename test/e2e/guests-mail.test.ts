import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSmtpMailer, type SmtpMailer } from "../../adapters/mail/smtp-mailer.ts";
import { DEMO_IDS } from "../../src/persistence/demo-seed.ts";
import type { CycleRecord } from "../../src/ports/retro-store.ts";
import { startGuestMailLoop } from "../../src/scheduler/guest-mail-loop.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { guestLinkSigner } from "../../src/use-cases/guests/guest-links.ts";
import { sendGuestMails } from "../../src/use-cases/guests/send-guest-mails.ts";
import { axeViolations, launchBrowser, type TestBrowser } from "../support/browser.ts";
import { answerAsDemoPeople, answersOf } from "../support/demo-answers.ts";
import { eventually } from "../support/test-clock.ts";
import { TEST_SECRET } from "../support/test-core.ts";
import { startWebApp, type WebApp } from "../support/web-app.ts";

// Issue #24 point 3 end to end: a lead adds guests by email in the web chat; the retro opens
// and a real SMTP server (in this process) receives their mails; a guest answers in Chromium
// through the signed link, and the answer reaches the cycle's summary. Screenshots of the form
// go to SCREENS_DIR (or /tmp).
const SCREENS = process.env.SCREENS_DIR ?? "/tmp";
const PARTNER = "partner@bureau.example";
const RESIDENT = "resident@wijk.example";

type Received = { raw: string; mail: ParsedMail; to: string };

/** A header as written in the raw message, unfolded (RFC 5322 2.2.3). */
function header(raw: string, name: string): string {
  const head = (raw.split(/\r?\n\r?\n/)[0] ?? "").replace(/\r?\n[ \t]+/g, " ");
  const line = head.split(/\r?\n/).find((candidate) => candidate.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line ? line.slice(name.length + 1).trim() : "";
}

describe("guests answer a retro by email", { timeout: 120_000 }, () => {
  let app: WebApp;
  let browser: TestBrowser;
  let smtp: SMTPServer;
  let mailer: SmtpMailer;
  let stopMail: () => Promise<void>;
  let refuse = false;
  const received: Received[] = [];
  let cycle: CycleRecord;

  const mailsTo = (to: string) => received.filter((item) => item.to === to);
  /** The mail's links point at the core's public URL; the test serves the app elsewhere. */
  const local = (url: string) => url.replace(/^https?:\/\/[^/]+/, app.base);
  const linkIn = (mail: ParsedMail, path: string) => {
    const found = (mail.text ?? "").match(new RegExp(`https?://\\S+${path}\\?token=[\\w.-]+`));
    if (!found) throw new Error(`no ${path} link in the mail`);
    return local(found[0]);
  };

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      onMailFrom(_address, _session, callback) {
        if (!refuse) return callback();
        callback(Object.assign(new Error("Try again later"), { responseCode: 421 }));
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          const raw = Buffer.concat(chunks).toString("utf8");
          void simpleParser(raw).then((mail) => {
            received.push({ raw, mail, to: session.envelope.rcptTo[0]?.address ?? "" });
            callback();
          });
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", () => resolve()));
    const port = (smtp.server.address() as AddressInfo).port;
    mailer = createSmtpMailer({
      url: `smtp://127.0.0.1:${port}`,
      from: { name: "Leerlus Gemeente Demo", address: "leerlus@gemeente.example" },
      timeoutMs: 5_000,
    });
    app = await startWebApp({ mailer });
    browser = await launchBrowser();
    const loop = startGuestMailLoop({
      send: () => sendGuestMails(app.core.deps, mailer),
      intervalMs: 50,
      logger: app.core.deps.logger,
    });
    stopMail = () => loop.stop();
  });

  afterAll(async () => {
    await stopMail?.();
    await browser?.close();
    await app?.close();
    mailer?.close();
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
  });

  it("a lead adds guests in the chat, in Dutch", async () => {
    const page = await browser.context.newPage();
    await page.goto(`${app.base}/?as=${DEMO_IDS.sanne}`);
    await page.locator('body[data-live="true"]').waitFor();
    await page.getByRole("button", { name: "Leerlus" }).click();
    const say = async (text: string, reply: string) => {
      await page.getByLabel("Opdracht").fill(text);
      await page.keyboard.press("Enter");
      await page.getByText(reply, { exact: false }).first().waitFor();
    };
    await say(`gast toevoegen ${PARTNER} markt`, `${PARTNER} is nu gast van Slimme straatreiniging (markt)`);
    await say(`guest add ${RESIDENT} bewoners en`, `${RESIDENT} is nu gast van Slimme straatreiniging (bewoners)`);
    await say(`gast toevoegen ${PARTNER}`, `${PARTNER} is al gast van Slimme straatreiniging.`);
    await say("gast toevoegen niet-een-adres markt", "niet-een-adres is geen geldig e-mailadres.");
    await say("gasten", `${RESIDENT} · bewoners · Engels`);
    await page.close();
    // A member who does not lead the project may not.
    const member = await browser.context.newPage();
    await member.goto(`${app.base}/?as=${DEMO_IDS.ahmed}`);
    await member.locator('body[data-live="true"]').waitFor();
    await member.getByRole("button", { name: "Leerlus" }).click();
    await member.getByLabel("Opdracht").fill(`gast toevoegen stiekem@example.org`);
    await member.keyboard.press("Enter");
    await member.getByText("Alleen de trekker van het project kan gasten toevoegen", { exact: false }).waitFor();
    expect(await app.core.deps.stores.guests.guests(DEMO_IDS.pilot)).toHaveLength(2);
    await member.close();
  });

  it("the retro opens and each guest gets one mail: their language, text and HTML, unsubscribe headers, a calendar invite", async () => {
    await advanceProject(app.core.deps, DEMO_IDS.pilot);
    cycle = (await app.core.deps.stores.retro.latestCycle(DEMO_IDS.pilot)) as CycleRecord;
    await eventually(() => mailsTo(PARTNER).length === 1 && mailsTo(RESIDENT).length === 1);

    const nl = mailsTo(PARTNER)[0] as Received;
    const en = mailsTo(RESIDENT)[0] as Received;
    expect(nl.mail.subject).toBe(`Retro ${cycle.sequence} van Slimme straatreiniging: hoe kijk jij erop terug?`);
    expect(en.mail.subject).toBe(`Retro ${cycle.sequence} of Slimme straatreiniging: how do you look back on it?`);
    for (const [item, locale] of [
      [nl, "nl"],
      [en, "en"],
    ] as const) {
      const { mail, raw } = item;
      // The same questions members get, in the guest's language, in both alternatives.
      for (const question of cycle.questions[locale]) {
        expect(mail.text).toContain(question.text);
        expect(mail.html).toContain(question.text.replaceAll("'", "&#39;").replaceAll('"', "&quot;"));
      }
      expect(raw).toMatch(/Content-Type: multipart\/alternative/i);
      expect(raw).toMatch(/Content-Type: text\/plain/i);
      expect(raw).toMatch(/Content-Type: text\/html/i);
      expect(raw).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=REQUEST/i);
      expect(mail.headers.get("content-language")).toBe(locale);
      expect(header(raw, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
      const listUnsubscribe = header(raw, "List-Unsubscribe").match(/^<(https?:\/\/[^>]+)>$/)?.[1] ?? "";
      expect(listUnsubscribe).toMatch(/\/guest\/unsubscribe\?token=/);
      expect(mail.text).toContain(listUnsubscribe);
      const ics = mail.attachments.find((part) => part.filename === "retro.ics");
      // Unfolded: long lines continue on the next after a space (RFC 5545 3.1).
      const calendar = (ics?.content.toString("utf8") ?? "").replace(/\r\n /g, "");
      expect(calendar).toContain("METHOD:REQUEST");
      expect(calendar).toContain(`UID:retro-${cycle.id}@127.0.0.1`);
      expect(calendar).toMatch(/DTSTART;TZID=Europe\/Amsterdam:\d{8}T\d{6}\r\n/);
      expect(calendar).toContain(`ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:${item.to}`);
    }
    // The link is one person's: the two guests' links differ.
    expect(linkIn(nl.mail, "/guest")).not.toBe(linkIn(en.mail, "/guest"));
  });

  it("a guest answers in the browser, sees the form filled in afterwards, and the answer is in the summary", async () => {
    const link = linkIn((mailsTo(RESIDENT)[0] as Received).mail, "/guest");
    for (const [width, height, label] of [
      [1280, 900, "desktop"],
      [390, 844, "phone"],
    ] as const) {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width, height });
      await page.goto(link);
      await page.getByRole("heading", { name: `Retro ${cycle.sequence} of Slimme straatreiniging` }).waitFor();
      await page.screenshot({ path: `${SCREENS}/guests-form-${label}.png`, fullPage: true });
      expect(await axeViolations(page)).toEqual([]);
      await page.close();
    }
    const page = await browser.context.newPage();
    await page.goto(link);
    const answer = (key: string) => `From the neighbourhood: ${key} went well with the new sweeping routes.`;
    for (const question of cycle.questions.en) {
      if (question.kind === "scale") await page.getByRole("radio", { name: "4" }).first().check();
      else await page.getByLabel(question.text, { exact: false }).first().fill(answer(question.key));
    }
    await page.getByRole("button", { name: "Send answers" }).click();
    await page.getByText("Thank you! Your answers are saved.").waitFor();
    const first = cycle.questions.en.find((question) => question.kind !== "scale");
    expect(
      await page
        .getByLabel(first?.text ?? "", { exact: false })
        .first()
        .inputValue(),
    ).toBe(answer(first?.key ?? ""));
    await page.screenshot({ path: `${SCREENS}/guests-form-saved-desktop.png`, fullPage: true });
    await page.close();

    const guest = await app.core.deps.stores.guests.personByEmail(DEMO_IDS.organisation, RESIDENT);
    const stored = await answersOf(app.database.db, TEST_SECRET, cycle.id, guest?.id ?? "");
    expect(stored[first?.key ?? ""]).toBe(answer(first?.key ?? ""));

    // Two members answer as well, so the summary shows answers (three reach the minimum group size).
    await answerAsDemoPeople(app.core.deps, cycle, [DEMO_IDS.ahmed, DEMO_IDS.lotte], (key) => `Intern: ${key}.`);
    app.core.clock.set(new Date(cycle.closesAt.getTime() + 60_000));
    await advanceProject(app.core.deps, DEMO_IDS.pilot);
    const summary = await eventually(async () => {
      const rows = await app.database.db
        .selectFrom("WebMessage")
        .select("message")
        .where("conversationRef", "=", `web:channel:${DEMO_IDS.pilot}`)
        .execute();
      return rows.map((row) => JSON.stringify(row.message)).find((text) => text.includes(answer(first?.key ?? "")));
    });
    // As every answer in the summary: marked as what a person wrote, so every renderer keeps it inert.
    expect(summary).toContain(`{"user":"${answer(first?.key ?? "")}"}`);
  });

  it("after the retro closes the link shows 'closed', and does not open or change the next retro", async () => {
    const link = linkIn((mailsTo(RESIDENT)[0] as Received).mail, "/guest");
    await advanceProject(app.core.deps, DEMO_IDS.pilot);
    const next = await eventually(async () => {
      const latest = await app.core.deps.stores.retro.latestCycle(DEMO_IDS.pilot);
      return latest && latest.id !== cycle.id && latest.status === "open" ? latest : undefined;
    });
    const page = await browser.context.newPage();
    await page.goto(link);
    await page.getByRole("heading", { name: "This retro is closed" }).waitFor();
    expect(await page.locator("form").count()).toBe(0);
    await page.close();

    // The old link sent with the new cycle's form value: the token decides, and its cycle is closed.
    const token = new URL(link).searchParams.get("token") ?? "";
    const key = next.questions.en.find((question) => question.kind !== "scale")?.key ?? "";
    const replay = await fetch(`${app.base}/guest`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "accept-language": "en" },
      body: new URLSearchParams({ token, form: next.id, [key]: "Replayed into the next retro" }),
    });
    expect(await replay.text()).toContain("This retro is closed");
    const guest = await app.core.deps.stores.guests.personByEmail(DEMO_IDS.organisation, RESIDENT);
    expect(await answersOf(app.database.db, TEST_SECRET, next.id, guest?.id ?? "")).toEqual({});
    cycle = next;
  });

  it("a forged or expired link gets a clear page in the reader's language", async () => {
    const link = linkIn((mailsTo(PARTNER).at(-1) as Received).mail, "/guest");
    const token = new URL(link).searchParams.get("token") ?? "";
    const forged = `${token.slice(0, -2)}${token.endsWith("AA") ? "BB" : "AA"}`;
    const page = await browser.context.newPage();
    await page.goto(`${app.base}/guest?token=${forged}`);
    // Nobody is known from a forged link: the browser's language decides (Chromium's is English here).
    await page.getByRole("heading", { name: "This link doesn't work" }).waitFor();
    await page.close();
    const dutch = await fetch(`${app.base}/guest?token=${forged}`, { headers: { "accept-language": "nl-NL,nl" } });
    expect(dutch.status).toBe(401);
    expect(await dutch.text()).toContain("Deze link werkt niet");

    const person = await app.core.deps.stores.guests.personByEmail(DEMO_IDS.organisation, PARTNER);
    const expired = guestLinkSigner(TEST_SECRET).sign({
      personId: person?.id ?? "",
      purpose: `guest:answer:${cycle.id}`,
      expiresAt: new Date(app.core.clock.now().getTime() - 1000),
    });
    const response = await fetch(`${app.base}/guest?token=${expired}`, { headers: { "accept-language": "nl" } });
    expect(response.status).toBe(401);
    expect(await response.text()).toContain("Deze link is verlopen.");

    // The form is posted from its own page (checked above, in Chromium); from another site, never.
    const crossSite = await fetch(`${app.base}/guest`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: "https://elders.example",
        "sec-fetch-site": "cross-site",
      },
      body: new URLSearchParams({ token }),
    });
    expect(crossSite.status).toBe(403);
  });

  it("one click unsubscribes (RFC 8058): no more mail to that guest", async () => {
    await eventually(() => mailsTo(PARTNER).length === 2 && mailsTo(RESIDENT).length === 2);
    const raw = (mailsTo(PARTNER).at(-1) as Received).raw;
    const url = local(header(raw, "List-Unsubscribe").slice(1, -1));
    // As a mail provider posts it: from its server, no browser, no Origin.
    const first = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(first.status).toBe(200);
    expect(await first.text()).toContain("Je bent afgemeld");
    const again = await fetch(url, { method: "POST", body: "List-Unsubscribe=One-Click" });
    expect(again.status).toBe(200);
    const guests = await app.core.deps.stores.guests.guests(DEMO_IDS.pilot);
    expect(guests.find((guest) => guest.email === PARTNER)?.unsubscribedAt).toBeInstanceOf(Date);

    // The next retro invites the resident only.
    app.core.clock.set(new Date(cycle.closesAt.getTime() + 60_000));
    await advanceProject(app.core.deps, DEMO_IDS.pilot);
    await advanceProject(app.core.deps, DEMO_IDS.pilot);
    await eventually(() => mailsTo(RESIDENT).length === 3);
    expect(mailsTo(PARTNER)).toHaveLength(2);
  });

  it("while the mail server refuses, mails wait and are retried; none is lost or sent twice", async () => {
    const before = mailsTo(RESIDENT).length;
    refuse = true;
    const latest = (await app.core.deps.stores.retro.latestCycle(DEMO_IDS.pilot)) as CycleRecord;
    app.core.clock.set(new Date(latest.closesAt.getTime() + 60_000));
    await advanceProject(app.core.deps, DEMO_IDS.pilot);
    await advanceProject(app.core.deps, DEMO_IDS.pilot);
    const failing = await eventually(async () => {
      const rows = await app.database.db
        .selectFrom("GuestMail")
        .selectAll()
        .where("status", "=", "pending")
        .where("lastError", "is not", null)
        .execute();
      return rows.length > 0 ? rows : undefined;
    });
    expect(failing[0]?.lastError).toBe("SMTP_421");
    expect(mailsTo(RESIDENT)).toHaveLength(before);

    refuse = false;
    // The back-off (30 s after a first failure) is counted on the core's clock: past it, the
    // mail goes, still inside the demo's two-minute answer window.
    app.core.clock.advance(31_000);
    await eventually(() => mailsTo(RESIDENT).length === before + 1);
    const ids = received.map((item) => item.mail.messageId);
    expect(new Set(ids).size).toBe(ids.length);
    // The server accepts the mail a moment before the queue notes it sent.
    const row = await eventually(async () => {
      const current = await app.database.db
        .selectFrom("GuestMail")
        .selectAll()
        .where("id", "=", failing[0]?.id ?? "")
        .executeTakeFirstOrThrow();
      return current.status === "sent" ? current : undefined;
    });
    expect(row.status).toBe("sent");
  });
});
