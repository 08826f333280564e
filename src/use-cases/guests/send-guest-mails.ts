// Sends the guest mails that are due: each queued mail is claimed (so two workers never send
// the same one), built from what holds now (the guest may have unsubscribed, the cycle closed)
// and settled as sent, retried later, or dropped. A mail server that is down delays mails and
// loses none: they wait with a growing back-off until the cycle they are about closes.

import type { ClaimedGuestMail, GuestMailOutcome } from "../../ports/guest-store.ts";
import { MailError, type Mailer } from "../../ports/mailer.ts";
import type { Deps } from "../deps.ts";
import { composeGuestMail } from "./guest-mail.ts";

export const MAIL_LEASE_MS = 60_000;
const BATCH = 20;
const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 60 * 60_000;

export type SendReport = { sent: number; retried: number; dropped: number; failed: number };

/** Sends what is due now, in batches, until nothing due is left; returns what happened. */
export async function sendGuestMails(deps: Deps, mailer: Mailer): Promise<SendReport> {
  const report: SendReport = { sent: 0, retried: 0, dropped: 0, failed: 0 };
  for (;;) {
    const claimed = await deps.stores.guests.claimDueMails(deps.clock.now(), MAIL_LEASE_MS, BATCH);
    for (const mail of claimed) {
      const outcome = await sendOne(deps, mailer, mail);
      await deps.stores.guests.settleMail(mail.id, outcome);
      report[outcome.status === "pending" ? "retried" : outcome.status] += 1;
    }
    // A batch that came back short was the last; retried mails wait for their back-off.
    if (claimed.length < BATCH) return report;
  }
}

async function sendOne(deps: Deps, mailer: Mailer, mail: ClaimedGuestMail): Promise<GuestMailOutcome> {
  const now = deps.clock.now();
  const cycle = await deps.stores.retro.cycle(mail.cycleId);
  if (cycle?.status !== "open" || now >= cycle.closesAt) return { status: "dropped", error: "CYCLE_CLOSED" };
  const [project, guest] = await Promise.all([
    deps.stores.retro.project(cycle.projectId, now),
    deps.stores.guests.guest(cycle.projectId, mail.personId),
  ]);
  if (!project || !guest) return { status: "dropped", error: "GUEST_REMOVED" };
  if (guest.unsubscribedAt) return { status: "dropped", error: "UNSUBSCRIBED" };
  if (mail.kind === "reminder" && (await answered(deps, cycle.id, mail.personId))) {
    return { status: "dropped", error: "ANSWERED" };
  }
  const message = composeGuestMail(deps, {
    kind: mail.kind,
    mailKey: mail.key,
    guest,
    project,
    cycle,
    from: mailer.from,
    now,
  });
  try {
    await mailer.send(message);
    deps.logger.info({ mailId: mail.id, kind: mail.kind, attempts: mail.attempts }, "guest mail sent");
    return { status: "sent", at: deps.clock.now() };
  } catch (error) {
    const code = error instanceof MailError ? error.code : "MAIL_FAILED";
    const retryable = error instanceof MailError ? error.retryable : true;
    // Never the address or the server's words (they may quote it): the mail's id and a code.
    deps.logger.warn({ mailId: mail.id, kind: mail.kind, attempts: mail.attempts, code }, "guest mail not sent");
    if (!retryable) return { status: "failed", error: code };
    const wait = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, mail.attempts - 1));
    return { status: "pending", notBefore: new Date(now.getTime() + wait), error: code };
  }
}

async function answered(deps: Deps, cycleId: string, personId: string): Promise<boolean> {
  const delivery = (await deps.stores.retro.deliveries(cycleId)).find((d) => d.personId === personId);
  return delivery?.answeredAt != null;
}
