// Guests of projects (partners and residents who answer by email) and the mails queued for
// them. Implemented in src/persistence/guest-repository.ts; every write is keyed.
import type { Locale } from "../domain/locale.ts";
import type { Sector } from "../domain/role.ts";

export type GuestRecord = {
  projectId: string;
  personId: string;
  email: string;
  locale: Locale;
  sector: Sector | null;
  unsubscribedAt: Date | null;
  createdAt: Date;
};

export const GUEST_MAIL_KINDS = ["invite", "reminder"] as const;
export type GuestMailKind = (typeof GUEST_MAIL_KINDS)[number];
/** dropped: no longer due when its turn came (the cycle closed, the guest left or unsubscribed). */
export const GUEST_MAIL_STATUSES = ["pending", "sent", "failed", "dropped"] as const;

export type QueuedGuestMail = {
  key: string;
  organisationId: string;
  personId: string;
  cycleId: string;
  kind: GuestMailKind;
  notBefore: Date;
};

export type ClaimedGuestMail = QueuedGuestMail & { id: string; attempts: number };

export type GuestMailOutcome =
  | { status: "sent"; at: Date }
  | { status: "pending"; notBefore: Date; error: string }
  | { status: "failed" | "dropped"; error: string };

/** Per quadruple-helix sector: people invited to the period's closed retros, invitations and answers. */
export type SectorParticipation = { sector: Sector; people: number; invited: number; answered: number }[];

export type GuestStore = {
  /** A person of the organisation with this address (lower-case), and whether they use chat. */
  personByEmail(organisationId: string, email: string): Promise<{ id: string; inChat: boolean } | null>;
  /** A person for a new guest: no chat identity, no organisation role. */
  createGuestPerson(input: { organisationId: string; email: string; locale: Locale | null; at: Date }): Promise<string>;
  /** false when the person was a guest of the project already. */
  addGuest(input: { projectId: string; personId: string; sector: Sector | null; at: Date }): Promise<boolean>;
  /** Removes the guest and drops the mails still waiting for them in the project. */
  removeGuest(projectId: string, personId: string): Promise<boolean>;
  guests(projectId: string): Promise<GuestRecord[]>;
  guest(projectId: string, personId: string): Promise<GuestRecord | null>;
  /** Guests still receiving mail, per project. */
  activeGuests(projectIds: readonly string[]): Promise<{ projectId: string; personId: string }[]>;
  /** Stops every mail to the guest in the project; true the first time. */
  unsubscribe(projectId: string, personId: string, at: Date): Promise<boolean>;
  /** Queues mails; a key already queued stays as it is. */
  queueMails(mails: readonly QueuedGuestMail[]): Promise<void>;
  /** Takes up to `limit` due mails for `leaseMs`, none another sender holds. */
  claimDueMails(now: Date, leaseMs: number, limit: number): Promise<ClaimedGuestMail[]>;
  settleMail(id: string, outcome: GuestMailOutcome): Promise<void>;
  /** Mails sent, failed or dropped that were due before `before` go; their keys are not needed any more. */
  pruneMails(organisationId: string, before: Date): Promise<number>;
  sectorParticipation(organisationId: string, from: Date, to: Date): Promise<SectorParticipation>;
  /**
   * People who were only ever guests (no chat identity, no membership, no organisation role),
   * added before `before`, and are now a guest of no project, or unsubscribed before `before`.
   */
  formerGuests(organisationId: string, before: Date): Promise<string[]>;
};
