// The Mailer port over SMTP with Nodemailer (SMTP_URL, MAIL_FROM). The core builds the mail; this
// only maps it onto a MIME message: text and HTML alternatives, the calendar invitation as an
// alternative and .ics attachment, and the unsubscribe headers of RFC 2369 and RFC 8058.
import nodemailer from "nodemailer";
import { MailError, type Mailer, type OutgoingMail } from "../../src/ports/mailer.ts";

export type SmtpMailerConfig = {
  /** smtp://user:pass@host:587 or smtps://…:465; credentials never appear in logs. */
  url: string;
  from: { name: string; address: string };
  /** Give up on a server that does not answer within this; default 30 s. */
  timeoutMs?: number;
};

export type SmtpMailer = Mailer & { close(): void };

/** SMTP replies 4xx (and a connection that fails) are worth another try; 5xx are not. */
function toMailError(error: unknown): MailError {
  const smtp = error as { responseCode?: number; code?: string };
  const status = typeof smtp.responseCode === "number" ? smtp.responseCode : undefined;
  if (status !== undefined && status >= 500) return new MailError(`SMTP_${status}`, { retryable: false, cause: error });
  if (status !== undefined) return new MailError(`SMTP_${status}`, { retryable: true, cause: error });
  const code = typeof smtp.code === "string" && /^[A-Z_]{2,32}$/.test(smtp.code) ? smtp.code : "UNREACHABLE";
  return new MailError(`SMTP_${code}`, { retryable: true, cause: error });
}

export function createSmtpMailer(config: SmtpMailerConfig): SmtpMailer {
  const timeout = config.timeoutMs ?? 30_000;
  const transport = nodemailer.createTransport({
    url: config.url,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    // No logging of the conversation: it carries addresses.
    logger: false,
  });
  return {
    from: config.from,
    async send(mail: OutgoingMail) {
      try {
        await transport.sendMail({
          from: { name: config.from.name, address: config.from.address },
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          messageId: mail.messageId,
          headers: {
            "Content-Language": mail.language,
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
          },
          list: { unsubscribe: mail.unsubscribeUrl },
          ...(mail.calendar
            ? {
                // Nodemailer sends it both as calendars read it (a text/calendar; method=REQUEST
                // alternative) and as an .ics attachment to open.
                icalEvent: { method: "REQUEST", filename: mail.calendar.filename, content: mail.calendar.content },
              }
            : {}),
        });
      } catch (error) {
        throw toMailError(error);
      }
    },
    close() {
      transport.close();
    },
  };
}
