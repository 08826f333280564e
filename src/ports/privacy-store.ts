import type { ChatAccount } from "./directory-store.ts";

/** Everything held about one person, and its removal (AVG/GDPR articles 15 and 17). */
export type PrivacyStore = {
  /** All data linked to the person, as plain JSON. `responseKeys` finds their anonymous answers. */
  exportPerson(personId: string, responseKeys: string[]): Promise<Record<string, unknown> | null>;
  /**
   * Removes the person, their identities, absences, memberships, deliveries and answers
   * (also anonymous ones, found by `responseKeys`), and the messages sent to them (outbox and
   * web chat); actions lose them as an owner and lessons their link to the answer they came from.
   * Returns what was removed, by kind.
   */
  erasePerson(
    personId: string,
    responseKeys: string[],
    /** The keyed hash each of their chat accounts is remembered by (see DirectoryStore.erasedAmong). */
    erasedKey?: (identity: ChatAccount) => string,
  ): Promise<Record<string, number>>;
  deliveryIds(personId: string): Promise<string[]>;
  /** Deletes answers of cycles closed before `before`; lessons stay, de-linked. */
  deleteAnswersBefore(organisationId: string, before: Date): Promise<number>;
  /**
   * Deletes the organisation's web chat history (its projects' channels and its people's
   * conversations) from before `before`: summaries there quote answers.
   */
  deleteWebHistoryBefore(organisationId: string, before: Date): Promise<number>;
  auditLog(
    organisationId: string,
    limit: number,
  ): Promise<{ kind: string; actorId: string | null; subject: string; createdAt: Date }[]>;
  retentionMonths(organisationId: string): Promise<number | null>;
};
