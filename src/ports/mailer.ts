// Mail to people outside the organisation's chat (guests), over whatever the adapter speaks
// (SMTP in adapters/mail). The core builds the whole message; the adapter only sends it.

export type OutgoingMail = {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable per queued mail (`<…@host>`), so a resend after a crash is recognisable as the same mail. */
  messageId: string;
  language: string;
  /** RFC 2369 / RFC 8058: where one click unsubscribes. */
  unsubscribeUrl: string;
  /** An iCalendar invitation (method REQUEST), sent as an alternative part and as an .ics attachment. */
  calendar?: { filename: string; content: string };
};

export type Mailer = {
  /** The sender's address, also the organizer of calendar invitations. */
  from: { name: string; address: string };
  /** Resolves when the server accepted the mail; throws {@link MailError} otherwise. */
  send(mail: OutgoingMail): Promise<void>;
};

/** code: a short name for logs and the mail row, never the server's text (it may quote the address). */
export class MailError extends Error {
  readonly retryable: boolean;
  readonly code: string;
  constructor(code: string, options: { retryable: boolean; cause?: unknown }) {
    super(`mail not sent (${code})`, { cause: options.cause });
    this.name = "MailError";
    this.code = code;
    this.retryable = options.retryable;
  }
}
