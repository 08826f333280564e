// What the use cases need from the system of record. Implemented with Kysely in
// src/persistence; every method is safe to call again (idempotent on its keys).
import type { Cadence } from "../domain/cadence.ts";
import type { ChannelLanguage } from "../domain/channel-language.ts";
import type { DigestContent, DigestFacts, DigestLesson } from "../domain/digest-content.ts";
import type { Platform } from "../domain/inbound-event.ts";
import type { Locale } from "../domain/locale.ts";
import type { Message } from "../domain/message.ts";
import type { Phase } from "../domain/phase.ts";
import type { ActionStatus, CycleStatus, LessonStatus } from "../domain/record-status.ts";
import type { Question } from "../domain/retro-format.ts";
import type { Role } from "../domain/role.ts";
import type { PulseTally } from "../domain/team-pulse.ts";
import type { QuietHours } from "../domain/working-time.ts";
import type { FormStore } from "./form-store.ts";
import type { GateStore } from "./gate-store.ts";
import type { GuestStore } from "./guest-store.ts";
import type { InterventionStore } from "./intervention-store.ts";
import type { LessonLibraryStore } from "./lesson-library.ts";
import type { ProjectAdminStore } from "./project-admin-store.ts";
import type { SenseStore } from "./sense-store.ts";
import type { TeamActionStore } from "./team-action-store.ts";
import type { TrackerStore } from "./tracker.ts";

export type Address = { platform: Platform; conversationRef: string };

export type PersonRecord = {
  id: string;
  organisationId: string;
  displayName: string;
  locale: Locale;
  /** The language stored for the person (theirs, or their chat client's when they joined); null: the organisation's applies; absent: not known. */
  ownLocale?: Locale | null;
  /** The person's own timezone, when they set one. */
  timezone: string | null;
  roles: Role[];
  /** Direct-message conversations, preferred platform first. */
  directs: Address[];
};

export type ProjectRecord = {
  id: string;
  organisationId: string;
  name: string;
  phase: Phase;
  phaseSince: Date;
  createdAt: Date;
  active: boolean;
  cadence: Cadence;
  /** When the cadence was set: its series of retro slots counts from here. */
  cadenceSince: Date | null;
  retroFormat: string;
  formatRotation: string[];
  holidayPolicy: "skip" | "move";
  skipNext: boolean;
  answerWindowMinutes: number;
  reminderAtPercent: number;
  anonymous: boolean;
  /** Every how many retros the team pulse comes; 0: never. */
  pulseEvery: number;
  /** The organisation's language: the project's lessons and themes are in it. */
  locale: Locale;
  /** What the team channel reads on Slack and Teams (the lead's choice; the organisation's by default). */
  language: ChannelLanguage;
  /** The organisation's timezone and hours for messages. */
  timezone: string;
  quiet: QuietHours;
  minGroupSize: number;
  channels: Address[];
  /** Members and leads: the people who answer retros. */
  participants: (PersonRecord & { projectRole: "member" | "lead"; absent: boolean; discipline: string | null })[];
  managers: PersonRecord[];
  /** Opdrachtgevers: a project stuck on its checkpoints is escalated to them. */
  sponsors: PersonRecord[];
};

export type CycleQuestions = Record<Locale, Question[]>;

export type CycleRecord = {
  id: string;
  projectId: string;
  sequence: number;
  format: string;
  questions: CycleQuestions;
  status: CycleStatus;
  /** The cadence's slot this cycle stands for; opensAt differs when a holiday moved it. */
  plannedAt: Date;
  opensAt: Date;
  remindsAt: Date;
  closesAt: Date;
  remindedAt: Date | null;
};

export type AnswerRecord = {
  id: string;
  responseKey: string;
  questionKey: string;
  text: string | null;
  score: number | null;
  personId: string | null;
};

export type ActionRecord = {
  id: string;
  projectId: string;
  projectName: string;
  text: string;
  /** Its owners (who took it, or whom a lead assigned it to), in the order they became owners. */
  ownerIds: string[];
  ownerNames: string[];
  createdAt: Date;
};

export type ActionReviewState = {
  id: string;
  projectId: string;
  ownerIds: string[];
  status: string;
  /** The cycle whose opening put it up for review last. */
  reviewedInCycleId: string | null;
  /** Who answered that review; null while it waits for an answer. */
  reviewedById: string | null;
};

export type LessonHit = {
  id: string;
  text: string;
  projectName: string | null;
  phase: string;
  themes: string[];
};

export type CheckpointRecord = {
  id: string;
  projectId: string;
  phase: string;
  key: string;
  mustMeet: boolean;
  status: string;
  dueAt: Date;
  snoozedUntil: Date | null;
  lastNudgedAt: Date | null;
  nudgesSent: number;
};

export type OutboxItem = {
  key: string;
  organisationId: string;
  address: Address;
  message: Message;
  /** Held back until then: the recipient's quiet hours, weekends and holidays. */
  notBefore?: Date;
};

export type Queued = { id: string; platform: Platform; notBefore: Date | null };

export type StoredOutboxMessage = {
  id: string;
  key: string;
  address: Address;
  message: Message;
  sentRef: string | null;
};

export type OutboxRecord = OutboxItem & { id: string; status: string; attempts: number; sentRef: string | null };

export type RetroStore = {
  project(projectId: string, now: Date): Promise<ProjectRecord | null>;
  /** Those of the projects that exist, in no particular order. */
  projects(projectIds: readonly string[], now: Date): Promise<ProjectRecord[]>;
  latestCycle(projectId: string): Promise<CycleRecord | null>;
  /** Each project's latest cycle, by project id; projects without one are absent. */
  latestCycles(projectIds: readonly string[]): Promise<Map<string, CycleRecord>>;
  cycle(cycleId: string): Promise<CycleRecord | null>;
  /** Opens cycles with one delivery per participant, in the order given. */
  createCycles(
    inputs: (Omit<CycleRecord, "id" | "status" | "remindedAt"> & { participantIds: string[] })[],
  ): Promise<CycleRecord[]>;
  deliveries(cycleId: string): Promise<{ id: string; personId: string; answeredAt: Date | null }[]>;
  markReminded(cycleId: string, at: Date): Promise<void>;
  /** Moves an open cycle to closed; false when another process already did. */
  closeCycle(cycleId: string, at: Date): Promise<boolean>;
  answers(cycleId: string): Promise<AnswerRecord[]>;
  /**
   * Sets the given answers of one response and removes those in `clear`; every other answer
   * of it stays as it was. The delivery counts as answered while any answer remains.
   */
  saveAnswers(input: {
    cycleId: string;
    deliveryId: string;
    personId: string | null;
    responseKey: string;
    answers: { questionKey: string; text: string | null; score: number | null }[];
    clear: string[];
    at: Date;
  }): Promise<void>;
  /** The project's team pulses so far, counted per cycle: respondents, and responses and sum per statement. */
  pulseTallies(projectId: string): Promise<PulseTally[]>;
  openActions(projectIds: string[]): Promise<ActionRecord[]>;
  /** Records in which cycle each action was put up for review. */
  markActionsReviewed(reviews: readonly { actionId: string; cycleId: string }[]): Promise<void>;
  /**
   * Records the answer to an action's review (done, not yet, dropped), once per review: null
   * when it is already answered (or closed). Updates the project's follow-through.
   */
  reviewAction(
    actionId: string,
    input: { status: Exclude<ActionStatus, "open">; personId: string; at: Date },
  ): Promise<{ projectId: string } | null>;
  /** Takes back the answer to the action's latest review: open again; false when there was none. */
  undoActionReview(actionId: string): Promise<boolean>;
  action(actionId: string): Promise<ActionReviewState | null>;
  setSkipNext(projectId: string, skip: boolean): Promise<void>;
  /** Sets the cadence and starts its new series at `since`. */
  setCadence(projectId: string, cadence: Cadence, since: Date): Promise<void>;
  setFormatRotation(projectId: string, formats: string[]): Promise<void>;
  setHolidayPolicy(projectId: string, policy: "move" | "skip"): Promise<void>;
  /** Records a skipped cycle so the schedule moves on from it. */
  skipCycle(input: {
    projectId: string;
    sequence: number;
    format: string;
    plannedAt: Date;
    at: Date;
    reason: string;
  }): Promise<void>;
};

export type LessonReview = {
  id: string;
  projectId: string | null;
  organisationId: string;
  cycleId: string | null;
  source: string;
  status: string;
  reviewedById: string | null;
};

export type LessonStore = {
  createFromAnswers(
    items: {
      organisationId: string;
      projectId: string;
      cycleId: string;
      sourceAnswerId: string;
      phase: string;
      text: string;
      themes: string[];
    }[],
  ): Promise<void>;
  forCycle(cycleId: string): Promise<LessonHit[]>;
  inPeriod(organisationId: string, from: Date, to: Date): Promise<DigestLesson[]>;
  get(lessonId: string): Promise<LessonReview | null>;
  /** Saves or dismisses a proposed lesson; false when it was no longer proposed (decided meanwhile). */
  review(
    lessonId: string,
    input: { status: Exclude<LessonStatus, "proposed">; personId: string; at: Date },
  ): Promise<boolean>;
  /** Makes a saved or dismissed lesson from an answer proposed again; false when it was not decided. */
  undoReview(lessonId: string): Promise<boolean>;
};

/** One chat account of a person. */
export type ChatAccount = { platform: Platform; tenantId: string; platformUserId: string };

export type NewIdentity = {
  organisationId: string;
  platform: Platform;
  tenantId: string;
  platformUserId: string;
  displayName: string;
  locale: Locale | null;
  timezone: string | null;
  /** The person's direct conversation with the bot, when the platform told us. */
  directRef: string | null;
  /** Links the identity to a person imported with this email, when there is one. */
  email: string | null;
  roles: Role[];
};

export type DirectoryStore = {
  /** The organisation a workspace or Azure tenant belongs to, once installed. */
  organisationForTenant(platform: Platform, tenantId: string): Promise<string | null>;
  /**
   * Creates the organisation and install record for a new workspace or tenant; returns its id,
   * and whether this call created it (only then is the installer its first admin).
   */
  registerInstall(input: {
    platform: Platform;
    tenantId: string;
    organisationName: string;
    locale: Locale;
  }): Promise<{ organisationId: string; created: boolean }>;
  /** Finds or creates the person behind a platform identity; a known directRef is kept up to date. */
  registerIdentity(input: NewIdentity): Promise<PersonRecord>;
  personByIdentity(platform: Platform, tenantId: string, platformUserId: string): Promise<PersonRecord | null>;
  person(personId: string): Promise<PersonRecord | null>;
  /** Projects the person belongs to, with their role there. */
  projectsOf(personId: string): Promise<{ projectId: string; name: string; role: string }[]>;
  projectByChannel(address: Address): Promise<string | null>;
  /** Those of the keys that belong to chat accounts whose person erased their data. */
  erasedAmong(keys: readonly string[]): Promise<Set<string>>;
  advisers(organisationId: string): Promise<PersonRecord[]>;
  /** The organisation's Leerlus admins. */
  admins(organisationId: string): Promise<PersonRecord[]>;
  addAbsence(personId: string, from: Date, until: Date): Promise<void>;
  /** Ends every current or future absence of the person at `at`. */
  endAbsences(personId: string, at: Date): Promise<number>;
  activeProjectIds(organisationId?: string): Promise<string[]>;
  organisationIds(): Promise<string[]>;
  organisation(organisationId: string): Promise<{
    id: string;
    name: string;
    locale: Locale;
    timezone: string;
    quiet: QuietHours;
    minGroupSize: number;
  } | null>;
};

export type CheckpointStore = {
  ensure(projectId: string, items: { phase: string; key: string; mustMeet: boolean; dueAt: Date }[]): Promise<void>;
  open(projectId: string, phase: string): Promise<CheckpointRecord[]>;
  get(checkpointId: string): Promise<CheckpointRecord | null>;
  recordNudges(checkpointIds: string[], at: Date): Promise<void>;
  decide(
    checkpointId: string,
    input: { status: "done" | "not-applicable"; personId: string; evidence: string | null; at: Date },
  ): Promise<void>;
  snooze(checkpointId: string, until: Date): Promise<void>;
};

export type DigestStore = {
  lastPeriodEnd(organisationId: string, audience: string): Promise<Date | null>;
  /** Creates the digest for a period once; null when it already exists. */
  create(input: {
    organisationId: string;
    audience: string;
    periodStart: Date;
    periodEnd: Date;
    content: DigestContent;
  }): Promise<string | null>;
  /** How many days a digest period lasts (weekly 7, four-weekly 28); null for an unknown organisation. */
  everyDays(organisationId: string): Promise<number | null>;
  /** The aggregates of a period and the periods of the same length before it (bucket 0 is the period). */
  facts(input: { organisationId: string; periodStart: Date; periodEnd: Date; history?: number }): Promise<DigestFacts>;
  get(digestId: string): Promise<StoredDigest | null>;
  /** Past digests of an audience, newest first. */
  list(
    organisationId: string,
    audience: string,
  ): Promise<{ id: string; periodStart: Date; periodEnd: Date; createdAt: Date }[]>;
};

export type StoredDigest = {
  id: string;
  organisationId: string;
  audience: string;
  periodStart: Date;
  periodEnd: Date;
  content: DigestContent;
  createdAt: Date;
};

export type AuditStore = {
  record(input: {
    organisationId: string;
    actorId: string | null;
    kind: string;
    subject: string;
    data?: Record<string, unknown>;
  }): Promise<void>;
};

export type OutboxStore = {
  /** Inserts each item unless its key exists; returns those still waiting to be delivered. */
  enqueue(items: OutboxItem[]): Promise<Queued[]>;
  /** Claims those of `ids` that are waiting (or whose claim lapsed) for `leaseMs`. */
  claim(ids: readonly string[], now: Date, leaseMs: number): Promise<OutboxRecord[]>;
  /** Hands claimed messages back untouched, e.g. when it is still too early to send them. */
  unclaim(ids: readonly string[]): Promise<void>;
  /** Of `ids`, those claimed by someone (a worker, perhaps one that died), with when each claim lapses. */
  heldUntil(ids: readonly string[]): Promise<Map<string, Date>>;
  /** Moves the lease of rows still being sent to `until` (a heartbeat during slow sends). */
  extendLease(ids: readonly string[], until: Date): Promise<void>;
  markSent(sent: readonly { id: string; sentRef: string }[], at: Date): Promise<void>;
  /**
   * The organisation's messages (sent or still waiting; not failed ones) whose keys start with
   * one of `prefixes`, oldest first: the messages that show a decided item or a closed retro.
   */
  withKeyPrefixes(organisationId: string, prefixes: readonly string[]): Promise<StoredOutboxMessage[]>;
  /** These messages as stored now, by id (those that exist). */
  stored(ids: readonly string[]): Promise<StoredOutboxMessage[]>;
  /** Stores the message as it now reads; a message not sent yet goes out like this. */
  revise(id: string, message: Message): Promise<void>;
  release(id: string, error: string): Promise<void>;
  markFailed(id: string, error: string): Promise<void>;
  pending(limit: number): Promise<Queued[]>;
  /**
   * Deletes up to `limit` of the organisation's messages sent, or failed, before `before`,
   * and the contents no message uses any more. Returns how many messages it deleted.
   */
  prune(organisationId: string, before: Date, limit: number): Promise<number>;
};

/** An organisation's own days off (local dates, "2026-12-28"), on top of public holidays. */
export type DaysOffStore = {
  /** The organisation's days off from `from` on, in date order. */
  list(organisationId: string, from: string): Promise<string[]>;
  /** Adds the dates; ones already there are kept. Returns how many were new. */
  add(organisationId: string, dates: readonly string[]): Promise<number>;
  /** Removes the dates; returns how many there were. */
  remove(organisationId: string, dates: readonly string[]): Promise<number>;
};

export type Stores = {
  retro: RetroStore;
  lessons: LessonStore;
  library: LessonLibraryStore;
  directory: DirectoryStore;
  checkpoints: CheckpointStore;
  gates: GateStore;
  digests: DigestStore;
  audit: AuditStore;
  outbox: OutboxStore;
  projects: ProjectAdminStore;
  daysOff: DaysOffStore;
  interventions: InterventionStore;
  trackers: TrackerStore;
  forms: FormStore;
  teamActions: TeamActionStore;
  sense: SenseStore;
  guests: GuestStore;
};

/** Runs `work` in one database transaction, holding a lock on `lockKey` (e.g. a project id). */
/** Runs `work` in one transaction, holding the lock (or every lock) named, in a fixed order. */
export type UnitOfWork = <T>(lockKeys: string | readonly string[], work: (stores: Stores) => Promise<T>) => Promise<T>;
