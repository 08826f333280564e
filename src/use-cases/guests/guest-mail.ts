// A guest's invitation or reminder: the same questions members get, in the guest's language,
// as plain text and as HTML, with their personal answer link, a one-click unsubscribe
// (RFC 8058) and, with the invitation, a calendar invitation for the answer window.
import { createHash } from "node:crypto";
import { calendarInvite } from "../../domain/calendar-invite.ts";
import { formatDateTime } from "../../domain/format-date.ts";
import type { Locale } from "../../domain/locale.ts";
import type { Question } from "../../domain/retro-format.ts";
import type { GuestMailKind, GuestRecord } from "../../ports/guest-store.ts";
import type { Mailer, OutgoingMail } from "../../ports/mailer.ts";
import type { ProjectRecord } from "../../ports/project-records.ts";
import type { CycleRecord } from "../../ports/retro-store.ts";
import type { Deps } from "../deps.ts";
import { guestAnswerLink, guestUnsubscribeLink } from "./guest-links.ts";

type MailDeps = Pick<Deps, "prompts" | "publicUrl" | "secret">;

function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** The host part for Message-ID and the calendar UID: the installation's own name. */
export function mailHost(publicUrl: string): string {
  try {
    return new URL(publicUrl).hostname || "leerlus.invalid";
  } catch {
    return "leerlus.invalid";
  }
}

export function composeGuestMail(
  deps: MailDeps,
  input: {
    kind: GuestMailKind;
    mailKey: string;
    guest: GuestRecord;
    project: ProjectRecord;
    cycle: CycleRecord;
    from: Mailer["from"];
    now: Date;
  },
): OutgoingMail {
  const { kind, guest, project, cycle, now } = input;
  const locale: Locale = guest.locale;
  const t = (key: string, vars: Record<string, string | number> = {}) =>
    deps.prompts.t(locale, `guests.mail.${key}`, vars);
  const closes = formatDateTime(cycle.closesAt, locale, project.timezone);
  const vars = { project: project.name, sequence: cycle.sequence, closes };
  const answerUrl = guestAnswerLink(deps, { personId: guest.personId, cycleId: cycle.id, closesAt: cycle.closesAt });
  const unsubscribeUrl = guestUnsubscribeLink(deps, { personId: guest.personId, projectId: project.id, now });
  const questions = cycle.questions[locale];
  const subject = t(`${kind}-subject`, vars);
  const intro = t(`${kind}-intro`, vars);
  const privacy = t(project.anonymous ? "anonymous" : "named");
  const invite = kind === "invite";
  const host = mailHost(deps.publicUrl);

  const text = [
    t("greeting"),
    "",
    intro,
    "",
    t("questions"),
    ...questions.map((question, index) => `${index + 1}. ${questionLine(question)}`),
    "",
    `${t("answer")}: ${answerUrl}`,
    "",
    t("link-note"),
    privacy,
    ...(invite ? [t("calendar")] : []),
    "",
    "-- ",
    t("footer", vars),
    `${t("unsubscribe", vars)} ${unsubscribeUrl}`,
  ].join("\n");

  const html = `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family:system-ui,-apple-system,'Segoe UI',sans-serif;line-height:1.5;color:#1b1b1b;max-width:40rem;margin:0 auto;padding:1rem">
<p>${escapeHtml(t("greeting"))}</p>
<p>${escapeHtml(intro)}</p>
<p>${escapeHtml(t("questions"))}</p>
<ol>${questions.map((question) => `<li>${escapeHtml(questionLine(question))}</li>`).join("")}</ol>
<p><a href="${escapeHtml(answerUrl)}" style="display:inline-block;background:#1f4e8c;color:#ffffff;padding:.6rem 1.1rem;border-radius:.4rem;text-decoration:none;font-weight:600">${escapeHtml(t("answer"))}</a></p>
<p style="font-size:.9rem;color:#444">${escapeHtml(t("link-note"))} ${escapeHtml(privacy)}${invite ? ` ${escapeHtml(t("calendar"))}` : ""}</p>
<hr style="border:none;border-top:1px solid #ddd">
<p style="font-size:.85rem;color:#555">${escapeHtml(t("footer", vars))}<br>${escapeHtml(t("unsubscribe", vars))} <a href="${escapeHtml(unsubscribeUrl)}" style="color:#1f4e8c">${escapeHtml(unsubscribeUrl)}</a></p>
</body></html>`;

  const calendar = invite
    ? {
        filename: "retro.ics",
        content: calendarInvite({
          uid: `retro-${cycle.id}@${host}`,
          start: cycle.opensAt,
          end: cycle.closesAt,
          timezone: project.timezone,
          stamp: now,
          summary: t("calendar-summary", vars),
          description: t("calendar-description", { url: answerUrl }),
          url: answerUrl,
          organizer: { name: input.from.name, email: input.from.address },
          attendee: guest.email,
        }),
      }
    : undefined;

  return {
    to: guest.email,
    subject,
    text,
    html,
    // The same queued mail always has the same id: a resend after a crash is one mail to the reader.
    messageId: `<${createHash("sha256").update(input.mailKey).digest("hex").slice(0, 32)}@${host}>`,
    language: locale,
    unsubscribeUrl,
    ...(calendar ? { calendar } : {}),
  };
}

function questionLine(question: Question): string {
  if (question.kind !== "scale") return question.text;
  const range =
    question.minLabel && question.maxLabel ? ` (1 = ${question.minLabel}, 5 = ${question.maxLabel})` : " (1–5)";
  return `${question.text}${range}`;
}
