import type { Cadence } from "../domain/cadence.ts";
import type { ChannelLanguage } from "../domain/channel-language.ts";
import type { Platform } from "../domain/inbound-event.ts";
import type { Locale } from "../domain/locale.ts";
import type { ActivePhase } from "../domain/phase.ts";

export type NewProject = {
  /** Answered project flags (personal-data, ai-system, ...); omitted ones stay unanswered. */
  flags?: Record<string, boolean>;
  organisationId: string;
  name: string;
  phase: ActivePhase;
  cadence: Cadence;
  /** The channel that becomes the project's team channel; a web channel is made when absent. */
  channel: { platform: Platform; conversationRef: string } | null;
  leadId: string;
  managerIds: string[];
  adviserIds: string[];
  memberIds: string[];
};

export type ProjectRole = "member" | "lead" | "manager" | "adviser" | "sponsor";

/** A project from an import file: a web channel is made for it, and its people get these roles. */
export type ImportedProject = {
  organisationId: string;
  name: string;
  phase: ActivePhase;
  cadence: Cadence;
  flags: Record<string, boolean>;
  memberships: { personId: string; role: ProjectRole; discipline: string | null }[];
};

/** What sending a setup form did: made the project, found the one this form made, or found the channel taken. */
export type SetUpOutcome =
  | { kind: "created"; id: string }
  | { kind: "sent-before"; id: string; name: string }
  | { kind: "channel-taken" };

/** Setting up and changing projects and people's own settings. */
export type ProjectAdminStore = {
  /** Creates the project with its channel and roles in one go; returns its id. */
  create(project: NewProject): Promise<string>;
  /**
   * Creates the project once per setup form instance (`setupKey`); the database's unique keys
   * decide between two sends at once, so neither a double click nor a race makes a second one.
   */
  setUp(project: NewProject, setupKey: string): Promise<SetUpOutcome>;
  /** The project a setup form instance made, if any. */
  bySetupKey(setupKey: string): Promise<{ id: string; name: string } | null>;
  /** An active project of the organisation with this name, compared without regard to case. */
  activeByName(organisationId: string, name: string): Promise<{ id: string; name: string } | null>;
  /** Creates many projects at once (a batch of an import), each like {@link create} does. */
  createImported(projects: ImportedProject[]): Promise<number>;
  /**
   * The organisation's people by name; with a platform, each with their account there (the id a
   * platform's own person picker returns), or null when they have none.
   */
  people(
    organisationId: string,
    platform?: Platform,
  ): Promise<{ id: string; displayName: string; account?: string | null }[]>;
  setRole(
    projectId: string,
    personId: string,
    role: ProjectRole,
    present: boolean,
    discipline?: string | null,
  ): Promise<void>;
  projectNames(organisationId: string): Promise<string[]>;
  /** The discipline a person brings to a project, asked in their first retro. */
  setDiscipline(projectId: string, personId: string, discipline: string): Promise<void>;
  /**
   * Finds people by email or creates them (with their web chat identity, so they can be
   * reached before they meet Leerlus in Slack or Teams); returns their ids by email.
   */
  upsertPeople(
    organisationId: string,
    people: { email: string; displayName: string; locale: Locale | null }[],
  ): Promise<Map<string, string>>;
  /**
   * Records that the channel's member list brought these people into the project; returns
   * those it had never brought before (each person counts once, even after they left).
   */
  enrol(projectId: string, personIds: readonly string[]): Promise<string[]>;
  /** Removes every role the person has in the project (opting out). */
  leave(projectId: string, personId: string): Promise<number>;
  setAnonymous(projectId: string, anonymous: boolean): Promise<void>;
  /** What the team channel reads on Slack and Teams. */
  setLanguage(projectId: string, language: ChannelLanguage): Promise<void>;
  language(projectId: string): Promise<ChannelLanguage | null>;
  setAnswerWindow(projectId: string, minutes: number): Promise<void>;
  setPulseEvery(projectId: string, every: number): Promise<void>;
  /** Gives a person of the organisation an organisation-wide role; false when it changed nothing. */
  grantOrganisationRole(organisationId: string, personId: string, role: "admin"): Promise<boolean>;
  setPersonSettings(personId: string, settings: { locale?: Locale; timezone?: string }): Promise<void>;
  personSettings(personId: string): Promise<{ locale: string | null; timezone: string | null } | null>;
};
