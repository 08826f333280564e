import type { Message } from "../domain/message.ts";
import type { Address, PersonRecord } from "../ports/project-records.ts";
import type { Deps } from "./deps.ts";
import { erasedAccountKey } from "./erased-account.ts";
import { applyGuestRetention } from "./guests/guest-retention.ts";
import { reply } from "./messages/reply.ts";
import { EXPORT_LINK_MINUTES, privacyExportLink } from "./privacy-export-link.ts";
import { responseKeyFor } from "./submit-answers.ts";
import { replyIsPrivate } from "./web-link.ts";

export const PRIVACY_EXPORT = "privacy.export";
export const PRIVACY_ERASE_ASK = "privacy.erase";
export const PRIVACY_ERASE_CONFIRM = "privacy.erase.confirm";
export const PRIVACY_ERASE_CANCEL = "privacy.erase.cancel";

const DAY_MS = 24 * 60 * 60 * 1000;
const MONTH_MS = 30.44 * DAY_MS;

/** Export and erasure also run from the CLI, without queues. */
type PrivacyDeps = Pick<Deps, "stores" | "privacy" | "secret">;

async function responseKeys(deps: PrivacyDeps, personId: string): Promise<string[]> {
  return (await deps.privacy.deliveryIds(personId)).map((id) => responseKeyFor(deps.secret, id));
}

/** Everything held about a person (AVG art. 15); the export itself is audited. */
export async function exportPersonalData(
  deps: PrivacyDeps,
  personId: string,
  actorId: string | null,
): Promise<Record<string, unknown> | null> {
  const person = await deps.stores.directory.person(personId);
  if (!person) return null;
  const data = await deps.privacy.exportPerson(personId, await responseKeys(deps, personId));
  await deps.stores.audit.record({
    organisationId: person.organisationId,
    actorId,
    kind: "privacy.export",
    subject: personId,
  });
  return data;
}

/** Removes a person and every answer they gave (AVG art. 17); lessons stay, without the link. */
export async function erasePersonalData(
  deps: PrivacyDeps,
  personId: string,
  actorId: string | null,
): Promise<Record<string, number> | null> {
  const person = await deps.stores.directory.person(personId);
  if (!person) return null;
  const removed = await deps.privacy.erasePerson(personId, await responseKeys(deps, personId), (account) =>
    erasedAccountKey(deps.secret, account),
  );
  await deps.stores.audit.record({
    organisationId: person.organisationId,
    actorId: actorId === personId ? null : actorId,
    kind: "privacy.erase",
    subject: personId,
    data: removed,
  });
  return removed;
}

/** `privacy` in chat: what Leerlus keeps, with buttons to export or erase your own data. */
export function privacyMenu(deps: Deps, person: PersonRecord): Message {
  const t = (key: string) => deps.prompts.t(person.locale, key);
  const statement = `${deps.publicUrl.replace(/\/+$/, "")}/privacy`;
  return {
    fallback: t("privacy.intro"),
    blocks: [
      { type: "heading", text: [t("privacy.heading")] },
      { type: "paragraph", text: [t("privacy.intro")] },
      { type: "context", text: [deps.prompts.t(person.locale, "privacy.statement", { url: statement })] },
      {
        type: "actions",
        buttons: [
          { actionId: PRIVACY_EXPORT, label: t("privacy.button.export"), value: person.id },
          { actionId: PRIVACY_ERASE_ASK, label: t("privacy.button.erase"), value: person.id, style: "danger" },
        ],
      },
    ],
  };
}

/** The buttons of the privacy menu; a person can only act on their own data here. */
export async function privacyAction(
  deps: Deps,
  person: PersonRecord,
  actionId: string,
  value: string,
  where?: Address,
): Promise<Message[]> {
  const t = (key: string, vars?: Record<string, string | number>) => deps.prompts.t(person.locale, key, vars);
  if (value !== person.id) return [reply(deps.prompts, person.locale, "errors.not-allowed")];
  if (actionId === PRIVACY_EXPORT) {
    // A file to download, not pages of JSON in the chat; the download itself is audited. The
    // link opens the person's data for anyone holding it: never in a channel others read.
    if (where && !replyIsPrivate(person, where))
      return [reply(deps.prompts, person.locale, "privacy.export-direct-only")];
    const link = privacyExportLink(deps, person.id);
    const text = t("privacy.export-ready", { url: link.url, minutes: EXPORT_LINK_MINUTES });
    return [{ fallback: text, blocks: [{ type: "paragraph", text: [text] }] }];
  }
  if (actionId === PRIVACY_ERASE_ASK) {
    return [
      {
        fallback: t("privacy.erase-confirm"),
        blocks: [
          { type: "paragraph", text: [t("privacy.erase-confirm")] },
          {
            type: "actions",
            buttons: [
              {
                actionId: PRIVACY_ERASE_CONFIRM,
                label: t("privacy.button.erase-confirm"),
                value: person.id,
                style: "danger",
              },
              { actionId: PRIVACY_ERASE_CANCEL, label: t("privacy.button.erase-cancel"), value: person.id },
            ],
          },
        ],
      },
    ];
  }
  // Cancelled: the question becomes the answer, in place, so its buttons cannot be used again.
  if (actionId === PRIVACY_ERASE_CANCEL) {
    return [{ ...reply(deps.prompts, person.locale, "privacy.erase-cancelled"), replacesSource: true }];
  }
  await erasePersonalData(deps, person.id, person.id);
  return [{ ...reply(deps.prompts, person.locale, "privacy.erased"), replacesSource: true }];
}

export function isPrivacyAction(actionId: string): boolean {
  return (
    actionId === PRIVACY_EXPORT ||
    actionId === PRIVACY_ERASE_ASK ||
    actionId === PRIVACY_ERASE_CONFIRM ||
    actionId === PRIVACY_ERASE_CANCEL
  );
}

/**
 * Sent messages stay in the outbox this long, for support and for the idempotency of what
 * was sent lately; then they go, with their contents (summaries quote answers).
 */
export const OUTBOX_RETENTION_DAYS = 30;
const PRUNE_BATCH = 5_000;
// A first run on a large outbox spreads over a few nights rather than one long job.
const PRUNE_BATCHES_PER_RUN = 40;

/**
 * Nightly, per organisation: deletes answers and web chat history older than its retention
 * period (when set), and outbox messages sent or failed more than
 * {@link OUTBOX_RETENTION_DAYS} days ago.
 */
export async function applyRetention(
  deps: Deps,
  organisationId: string,
): Promise<{ answers: number; messages: number }> {
  const now = deps.clock.now().getTime();
  const months = await deps.privacy.retentionMonths(organisationId);
  const answersBefore = months ? new Date(now - months * MONTH_MS) : null;
  const answers = answersBefore ? await deps.privacy.deleteAnswersBefore(organisationId, answersBefore) : 0;
  const webMessages = answersBefore ? await deps.privacy.deleteWebHistoryBefore(organisationId, answersBefore) : 0;
  const sentBefore = new Date(now - OUTBOX_RETENTION_DAYS * DAY_MS);
  let messages = 0;
  for (let batch = 0; batch < PRUNE_BATCHES_PER_RUN; batch++) {
    const deleted = await deps.stores.outbox.prune(organisationId, sentBefore, PRUNE_BATCH);
    messages += deleted;
    if (deleted < PRUNE_BATCH) break;
  }
  await applyGuestRetention(deps, organisationId, { personalDataBefore: answersBefore, mailsBefore: sentBefore });
  // Answers are personal data an admin may be asked about; outbox copies are housekeeping,
  // nightly for every organisation, and would crowd the audit log.
  if (answersBefore && (answers > 0 || webMessages > 0)) {
    await deps.stores.audit.record({
      organisationId,
      actorId: null,
      kind: "retention.applied",
      subject: organisationId,
      data: { answersDeleted: answers, webMessagesDeleted: webMessages, before: answersBefore.toISOString() },
    });
  }
  if (messages > 0) deps.logger.info({ organisationId, messages }, "deleted old outbox messages");
  return { answers, messages };
}

/** `audit`: the latest audit events of the organisation, for admins only. */
export async function auditLogMessage(deps: Deps, person: PersonRecord): Promise<Message> {
  const t = (key: string, vars?: Record<string, string | number>) => deps.prompts.t(person.locale, key, vars);
  if (!person.roles.includes("admin")) return reply(deps.prompts, person.locale, "errors.admin-only");
  const events = await deps.privacy.auditLog(person.organisationId, 20);
  if (events.length === 0) return reply(deps.prompts, person.locale, "audit.none");
  return {
    fallback: t("audit.heading", { count: events.length }),
    blocks: [
      { type: "heading", text: [t("audit.heading", { count: events.length })] },
      {
        type: "list",
        items: events.map((event) => [
          `${event.createdAt.toISOString().slice(0, 16).replace("T", " ")} · ${event.kind} · ${event.subject}${event.actorId ? ` · ${event.actorId}` : ""}`,
        ]),
      },
    ],
  };
}
