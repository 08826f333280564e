// What the use cases need from the system of record. Implemented with Kysely in
// src/persistence; every method is safe to call again (idempotent on its keys).

import type { AuditStore } from "./audit-store.ts";
import type { CheckpointStore } from "./checkpoint-store.ts";
import type { DaysOffStore } from "./days-off-store.ts";
import type { DigestStore } from "./digest-store.ts";
import type { DirectoryStore } from "./directory-store.ts";
import type { FormStore } from "./form-store.ts";
import type { GateStore } from "./gate-store.ts";
import type { GuestStore } from "./guest-store.ts";
import type { InterventionStore } from "./intervention-store.ts";
import type { LessonLibraryStore } from "./lesson-library.ts";
import type { LessonStore } from "./lesson-store.ts";
import type { OutboxStore } from "./outbox-store.ts";
import type { ProjectAdminStore } from "./project-admin-store.ts";
import type { RetroStore } from "./retro-store.ts";
import type { SenseStore } from "./sense-store.ts";
import type { TeamActionStore } from "./team-action-store.ts";
import type { TrackerStore } from "./tracker.ts";

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
