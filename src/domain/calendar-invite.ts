// An iCalendar invitation (RFC 5545, iTIP method REQUEST per RFC 5546) for a retro's answer
// window, so a guest's calendar holds the time to answer. Times are written in the project's
// timezone (TZID with a VTIMEZONE), so the guest's calendar shows the retro as the team plans it.
import { DateTime } from "luxon";

export type CalendarInvite = {
  /** Stable per cycle: a later invite for the same cycle updates the event instead of adding one. */
  uid: string;
  start: Date;
  end: Date;
  timezone: string;
  /** When the invite was made (DTSTAMP). */
  stamp: Date;
  summary: string;
  description: string;
  url: string;
  organizer: { name: string; email: string };
  attendee: string;
};

/** TEXT values escape backslash, semicolon, comma and newlines (RFC 5545 3.3.11). */
function text(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");
}

/** A parameter value in quotes, without the characters a quoted value may not hold. */
function param(value: string): string {
  return `"${value.replace(/["\r\n]/g, "")}"`;
}

/** Lines longer than 75 octets fold onto continuation lines that start with a space (3.1). */
function fold(line: string): string {
  const bytes = Buffer.from(line, "utf8");
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let current = "";
  for (const char of line) {
    const limit = parts.length === 0 ? 75 : 74;
    if (Buffer.byteLength(current + char, "utf8") > limit) {
      parts.push(current);
      current = "";
    }
    current += char;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

const utc = (date: Date): string => DateTime.fromJSDate(date, { zone: "utc" }).toFormat("yyyyMMdd'T'HHmmss'Z'");
const local = (date: Date, zone: string): string => DateTime.fromJSDate(date, { zone }).toFormat("yyyyMMdd'T'HHmmss");

/** "+0100" for an offset in minutes. */
function offset(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}${String(abs % 60).padStart(2, "0")}`;
}

/**
 * The zone's rule around the event: its offset before and after the event's start, as one
 * observance. Calendars that know the IANA name (all common ones) use their own rules; the
 * rest get the offset that holds for this event.
 */
function timezoneBlock(zone: string, start: Date): string[] {
  const at = DateTime.fromJSDate(start, { zone });
  const kind = at.isInDST ? "DAYLIGHT" : "STANDARD";
  return [
    "BEGIN:VTIMEZONE",
    `TZID:${zone}`,
    `BEGIN:${kind}`,
    "DTSTART:19700101T000000",
    `TZOFFSETFROM:${offset(at.offset)}`,
    `TZOFFSETTO:${offset(at.offset)}`,
    `TZNAME:${at.offsetNameShort ?? zone}`,
    `END:${kind}`,
    "END:VTIMEZONE",
  ];
}

/** The invitation as an iCalendar document, CRLF line endings. */
export function calendarInvite(invite: CalendarInvite): string {
  const zone = DateTime.local().setZone(invite.timezone).isValid ? invite.timezone : "UTC";
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Leerlus//Retro//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:REQUEST",
    ...timezoneBlock(zone, invite.start),
    "BEGIN:VEVENT",
    `UID:${invite.uid}`,
    "SEQUENCE:0",
    `DTSTAMP:${utc(invite.stamp)}`,
    `DTSTART;TZID=${zone}:${local(invite.start, zone)}`,
    `DTEND;TZID=${zone}:${local(invite.end, zone)}`,
    `SUMMARY:${text(invite.summary)}`,
    `DESCRIPTION:${text(invite.description)}`,
    `URL:${invite.url}`,
    `ORGANIZER;CN=${param(invite.organizer.name)}:mailto:${invite.organizer.email}`,
    `ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:${invite.attendee}`,
    "TRANSP:TRANSPARENT",
    "STATUS:CONFIRMED",
    "END:VEVENT",
    "END:VCALENDAR",
  ];
  return `${lines.map(fold).join("\r\n")}\r\n`;
}
