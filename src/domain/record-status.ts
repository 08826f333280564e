// The states a stored record can be in. The database holds the same lists as CHECK
// constraints (test/integration/schema-checks.test.ts keeps the two equal), so a typo in a
// query or a hand-edited row is refused at once instead of silently matching nothing.

export const CYCLE_STATUSES = ["open", "closed", "skipped"] as const;
export type CycleStatus = (typeof CYCLE_STATUSES)[number];

export const ACTION_STATUSES = ["open", "done", "not-yet", "dropped"] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export const LESSON_STATUSES = ["proposed", "confirmed", "dismissed"] as const;
export type LessonStatus = (typeof LESSON_STATUSES)[number];

export const CHECKPOINT_STATUSES = ["open", "done", "not-applicable"] as const;
export type CheckpointStatus = (typeof CHECKPOINT_STATUSES)[number];

export const OUTBOX_STATUSES = ["pending", "sending", "sent", "failed"] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** What became of a suggested learning intervention, as an adviser marked it. */
export const INTERVENTION_STATUSES = ["planned", "given", "dismissed"] as const;
export type InterventionStatus = (typeof INTERVENTION_STATUSES)[number];

/** An action's way into its project's tracker (Jira, Azure DevOps). */
export const TRACKER_EXPORT_STATUSES = ["pending", "sent", "failed"] as const;
export type TrackerExportStatus = (typeof TRACKER_EXPORT_STATUSES)[number];
/** What a FormInstance row holds: a form shown to someone, a typed answer to undo, or the question being asked. */
export const FORM_KINDS = ["retro", "setup", "checkpoint", "gate", "typed", "asking"] as const;
export type FormKind = (typeof FORM_KINDS)[number];
