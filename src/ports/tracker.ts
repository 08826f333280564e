// The narrow way use cases reach a team's tracker, and where they keep what it said.
import type { TrackerExportStatus } from "../domain/record-status.ts";
import type { TrackerCredentials, TrackerKind, TrackerProblem, TrackerTarget } from "../domain/tracker.ts";

/** A work item in the tracker: Jira's issue key or Azure DevOps' id, and its web page. */
export type TrackerItem = { key: string; url: string };

export type NewTrackerItem = {
  title: string;
  /** Plain text; each client turns it into what its tracker shows (ADF, HTML, plain). */
  description: string;
  /** A label or tag, so a create whose answer was lost is found again instead of made twice. */
  marker: string;
};

export type TrackerClient = {
  /** Whether the token works and the project exists; returns the project's name as the tracker spells it. */
  check(target: TrackerTarget): Promise<{ project: string }>;
  /** The work item carrying `marker`, when an earlier attempt created one. */
  find(target: TrackerTarget, marker: string): Promise<TrackerItem | null>;
  create(target: TrackerTarget, item: NewTrackerItem): Promise<TrackerItem>;
};

export type TrackerClients = Record<TrackerKind, TrackerClient>;

/**
 * A tracker that said no, or did not answer. `retryable` for 429, 5xx and network failures
 * (after `retryAfterMs` when the tracker said so); the others need a person to act.
 * `fields` names the fields a 400 refused (names only, never values).
 */
export class TrackerError extends Error {
  readonly problem: TrackerProblem;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly fields: string[];
  constructor(problem: TrackerProblem, options: { retryAfterMs?: number; fields?: string[]; status?: number } = {}) {
    super(`tracker answered ${options.status ?? "nothing"}: ${problem}`);
    this.name = "TrackerError";
    this.problem = problem;
    this.retryable = problem === "rate-limited" || problem === "unavailable";
    this.retryAfterMs = options.retryAfterMs;
    this.fields = options.fields ?? [];
  }
}

/** A project's tracker as stored; the credentials unsealed only when asked for. */
export type TrackerSettings = {
  projectId: string;
  kind: TrackerKind;
  baseUrl: string;
  project: string;
  autoSend: boolean;
  updatedAt: Date;
};

export type TrackerExportRecord = {
  actionId: string;
  projectId: string;
  status: TrackerExportStatus;
  attempts: number;
  /** The tracker the work item is in: the project may have moved to another since. */
  tracker: TrackerKind | null;
  externalKey: string | null;
  url: string | null;
  errorCode: string | null;
};

export type TrackerStore = {
  settings(projectId: string): Promise<TrackerSettings | null>;
  /** Which tracker each of the projects has, for those that have one: one statement for a batch. */
  kinds(projectIds: readonly string[]): Promise<Map<string, TrackerKind>>;
  /** The settings with the credentials unsealed, for a send. */
  target(projectId: string): Promise<(TrackerSettings & { credentials: TrackerCredentials }) | null>;
  /** Sets (or replaces) the project's tracker; the credentials are sealed before they are stored. */
  configure(input: {
    projectId: string;
    kind: TrackerKind;
    baseUrl: string;
    project: string;
    credentials: TrackerCredentials;
    autoSend: boolean;
    at: Date;
  }): Promise<void>;
  setAutoSend(projectId: string, on: boolean, at: Date): Promise<boolean>;
  /** Forgets the tracker and its token; links already made stay on their actions. */
  remove(projectId: string): Promise<boolean>;
  /**
   * Asks for the action to be sent: once per action. A failed send is asked for again;
   * one pending or sent is left as it is. Returns the export as it now stands.
   */
  request(actionId: string, projectId: string, at: Date): Promise<TrackerExportRecord>;
  /** Asks for every action of the cycle when its project sends automatically; returns their ids. */
  requestForCycle(projectId: string, cycleId: string, at: Date): Promise<string[]>;
  /** Claims a pending export for one send; null when it is sent, failed, or someone else is sending. */
  claim(actionId: string, now: Date, leaseMs: number): Promise<TrackerExportRecord | null>;
  /** Stores the work item and marks the export sent, in one statement. */
  markSent(actionId: string, item: { tracker: TrackerKind; key: string; url: string }, at: Date): Promise<void>;
  /** Hands a claimed export back, still pending, for a later attempt. */
  release(actionId: string): Promise<void>;
  markFailed(actionId: string, problem: string): Promise<void>;
  exports(actionIds: readonly string[]): Promise<Map<string, TrackerExportRecord>>;
  /** What the work item is made from: the action's text, its project and retro, and when it is due. */
  source(actionId: string): Promise<{
    projectId: string;
    projectName: string;
    text: string;
    sequence: number | null;
    dueAt: Date | null;
  } | null>;
  /** Pending exports nobody is sending, oldest first: the reconciler queues them again. */
  pending(now: Date, limit: number): Promise<string[]>;
};
