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
