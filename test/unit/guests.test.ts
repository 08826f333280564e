import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { calendarInvite } from "../../src/domain/calendar-invite.ts";
import { parseCommand } from "../../src/domain/command.ts";
import { guestEmailSchema } from "../../src/use-cases/guests/guest-commands.ts";
import { guestAnswerLink, guestUnsubscribeLink, verifyGuestLink } from "../../src/use-cases/guests/guest-links.ts";

const deps = { publicUrl: "https://leerlus.gemeente.example/", secret: "a-secret-of-enough-length-for-links" };
const tokenOf = (url: string) => new URL(url).searchParams.get("token") ?? "";

describe("guest commands", () => {
  it("reads add, remove and the list in English and Dutch", () => {
    expect(parseCommand("guest add a@b.example market en")).toEqual({
      name: "guest",
      request: { kind: "add", email: "a@b.example", sector: "market", language: "en" },
    });
    expect(parseCommand("gast toevoegen a@b.example nl bewoners")).toEqual({
      name: "guest",
      request: { kind: "add", email: "a@b.example", sector: "residents", language: "nl" },
    });
    expect(parseCommand("gast toevoegen a@b.example")).toMatchObject({ request: { sector: null, language: null } });
    expect(parseCommand("guest add a@b.example boeren")).toMatchObject({ request: { sector: "invalid" } });
    expect(parseCommand("gast verwijderen a@b.example")).toEqual({
      name: "guest",
      request: { kind: "remove", email: "a@b.example" },
    });
    expect(parseCommand("gasten")).toEqual({ name: "guest", request: { kind: "list" } });
    expect(parseCommand("guests")).toEqual({ name: "guest", request: { kind: "list" } });
    expect(parseCommand("guest invite")).toEqual({ name: "guest", request: { kind: "unclear" } });
  });

  it("takes one valid address, lower-cased; refuses lists, names and header tricks", () => {
    expect(guestEmailSchema.parse(" Partner@Bureau.Example ")).toBe("partner@bureau.example");
    for (const bad of ["a@b.example,c@d.example", "Jan <a@b.example>", "a@b.example\r\nBcc: x@y.example", "nope", ""]) {
      expect(guestEmailSchema.safeParse(bad).success).toBe(false);
    }
    expect(guestEmailSchema.safeParse(`${"a".repeat(250)}@b.example`).success).toBe(false);
  });
});

describe("guest links", () => {
  const now = new Date("2026-12-07T10:00:00Z");
  const closesAt = new Date("2026-12-09T10:00:00Z");

  it("name one person and one cycle; an unsubscribe link does not open a form, nor the other way round", () => {
    const answer = verifyGuestLink(
      deps,
      tokenOf(guestAnswerLink(deps, { personId: "p1", cycleId: "c1", closesAt })),
      now,
    );
    expect(answer).toEqual({ ok: true, personId: "p1", kind: "answer", cycleId: "c1" });
    const unsubscribe = verifyGuestLink(
      deps,
      tokenOf(guestUnsubscribeLink(deps, { personId: "p1", projectId: "x", now })),
      now,
    );
    expect(unsubscribe).toEqual({ ok: true, personId: "p1", kind: "unsubscribe", projectId: "x" });
  });

  it("refuses a token signed with another key, changed, or past its time", () => {
    const token = tokenOf(guestAnswerLink(deps, { personId: "p1", cycleId: "c1", closesAt }));
    expect(verifyGuestLink({ secret: "another-secret-of-enough-length!!" }, token, now)).toEqual({
      ok: false,
      code: "LINK_INVALID",
    });
    const [body = "", signature = ""] = token.split(".");
    const other = Buffer.from(
      Buffer.from(body, "base64url").toString("utf8").replace("guest:answer:c1", "guest:answer:c2"),
    ).toString("base64url");
    expect(verifyGuestLink(deps, `${other}.${signature}`, now)).toMatchObject({ ok: false, code: "LINK_INVALID" });
    // Still readable ("closed") a while after the retro; then expired.
    expect(verifyGuestLink(deps, token, new Date(closesAt.getTime() + 29 * 86_400_000)).ok).toBe(true);
    expect(verifyGuestLink(deps, token, new Date(closesAt.getTime() + 31 * 86_400_000))).toEqual({
      ok: false,
      code: "LINK_EXPIRED",
    });
  });
});

describe("the calendar invitation", () => {
  const invite = (start: string, end: string) =>
    calendarInvite({
      uid: "retro-c1@leerlus.example",
      start: new Date(start),
      end: new Date(end),
      timezone: "Europe/Amsterdam",
      stamp: new Date("2026-12-07T10:00:00Z"),
      summary: "Retro 3 van Slimme straatreiniging, wijk; noord",
      description: "Regel 1\nRegel 2",
      url: "https://leerlus.example/guest?token=x",
      organizer: { name: 'Leerlus "Demo"', email: "leerlus@gemeente.example" },
      attendee: "partner@bureau.example",
    });

  it("is a REQUEST in the project's timezone, with CRLF lines no longer than 75 octets and escaped text", () => {
    const ics = invite("2026-12-07T09:00:00Z", "2026-12-09T09:00:00Z");
    expect(ics).toContain("METHOD:REQUEST\r\n");
    expect(ics).toContain("DTSTART;TZID=Europe/Amsterdam:20261207T100000\r\n");
    expect(ics).toContain("DTEND;TZID=Europe/Amsterdam:20261209T100000\r\n");
    expect(ics).toContain("TZOFFSETTO:+0100");
    expect(ics).toContain("SUMMARY:Retro 3 van Slimme straatreiniging\\, wijk\\; noord\r\n");
    expect(ics).toContain("DESCRIPTION:Regel 1\\nRegel 2\r\n");
    expect(ics).toContain('ORGANIZER;CN="Leerlus Demo":mailto:leerlus@gemeente.example');
    for (const line of ics.split("\r\n")) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(ics.replace(/\r\n/g, "")).not.toContain("\n");
  });

  it("writes summer times with the summer offset", () => {
    const ics = invite("2026-06-01T08:00:00Z", "2026-06-03T08:00:00Z");
    expect(ics).toContain("DTSTART;TZID=Europe/Amsterdam:20260601T100000\r\n");
    expect(ics).toContain("BEGIN:DAYLIGHT");
    expect(ics).toContain("TZOFFSETTO:+0200");
  });
});

describe("mail configuration", () => {
  it("reads SMTP_URL and MAIL_FROM, with or without a name", () => {
    expect(
      loadConfig({ SMTP_URL: "smtp://mail.example:587", MAIL_FROM: "Leerlus Gemeente <leerlus@gemeente.example>" })
        .mail,
    ).toEqual({
      url: "smtp://mail.example:587",
      from: { name: "Leerlus Gemeente", address: "leerlus@gemeente.example" },
      pollSeconds: 15,
    });
    expect(loadConfig({ SMTP_URL: "smtps://mail.example", MAIL_FROM: "leerlus@gemeente.example" }).mail?.from).toEqual({
      name: "Leerlus",
      address: "leerlus@gemeente.example",
    });
    expect(loadConfig({}).mail).toBeUndefined();
  });

  it("names what is wrong: another scheme, a bad sender, a sender missing", () => {
    expect(() => loadConfig({ SMTP_URL: "http://mail.example", MAIL_FROM: "a@b.example" })).toThrow(/SMTP_URL/);
    expect(() => loadConfig({ SMTP_URL: "smtp://mail.example", MAIL_FROM: "not an address" })).toThrow(/MAIL_FROM/);
    expect(() => loadConfig({ SMTP_URL: "smtp://mail.example" })).toThrow(ConfigError);
    expect(() => loadConfig({ SMTP_URL: "smtp://mail.example" })).toThrow(/MAIL_FROM/);
  });
});
