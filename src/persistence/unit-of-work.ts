import { sql } from "kysely";
import type { Stores, UnitOfWork } from "../ports/stores.ts";
import { createAuditRepository } from "./audit-repository.ts";
import { createCheckpointRepository } from "./checkpoint-repository.ts";
import type { Db } from "./database.ts";
import { createDaysOffRepository } from "./days-off-repository.ts";
import { createDigestRepository } from "./digest-repository.ts";
import { createDirectoryRepository } from "./directory-repository.ts";
import { createFormRepository } from "./form-repository.ts";
import { createGateRepository } from "./gate-repository.ts";
import { createGuestRepository } from "./guest-repository.ts";
import { createInterventionRepository } from "./intervention-repository.ts";
import { createLessonLibraryRepository } from "./lesson-library-repository.ts";
import { createLessonRepository } from "./lesson-repository.ts";
import { createOutboxRepository } from "./outbox-repository.ts";
import { createProjectAdminRepository } from "./project-admin-repository.ts";
import { createRetroRepository } from "./retro-repository.ts";
import { createSenseRepository } from "./sense-repository.ts";
import { createTeamActionRepository } from "./team-action-repository.ts";
import type { TokenCipher } from "./token-cipher.ts";
import { createTrackerRepository } from "./tracker-repository.ts";

/** Seals and unseals tokens (trackers'); without it, only tracker tokens are out of reach. */
export type StoreOptions = { cipher?: TokenCipher };

/** Repositories on `db`: outside any transaction, or on one. */
export function createStores(db: Db, options: StoreOptions = {}): Stores {
  return {
    retro: createRetroRepository(db),
    lessons: createLessonRepository(db),
    library: createLessonLibraryRepository(db),
    directory: createDirectoryRepository(db),
    checkpoints: createCheckpointRepository(db),
    gates: createGateRepository(db),
    digests: createDigestRepository(db),
    audit: createAuditRepository(db),
    outbox: createOutboxRepository(db),
    projects: createProjectAdminRepository(db),
    daysOff: createDaysOffRepository(db),
    interventions: createInterventionRepository(db),
    trackers: createTrackerRepository(db, options.cipher),
    forms: createFormRepository(db),
    teamActions: createTeamActionRepository(db),
    sense: createSenseRepository(db),
    guests: createGuestRepository(db),
  };
}

/**
 * One transaction per unit of work, on one connection (BEGIN … COMMIT), serialised per lock
 * key with a transaction-scoped advisory lock, so two workers advancing the same project take
 * turns. Several keys are locked in one statement, in one global order, so two batches cannot
 * deadlock on them. No statement of it, the wait for the locks included, runs longer than
 * `timeoutMs` (a minute unless an import needs longer), nor does it sit idle that long
 * holding them: PostgreSQL then ends it and the work fails.
 */
export function createUnitOfWork(db: Db, options: { timeoutMs?: number } & StoreOptions = {}): UnitOfWork {
  // An integer of our own configuration: set inline, as SET takes no parameters.
  const timeout = Math.max(1, Math.trunc(options.timeoutMs ?? 60_000));
  const settings = sql.raw(
    `SET LOCAL lock_timeout = ${timeout}; SET LOCAL statement_timeout = ${timeout}; ` +
      `SET LOCAL idle_in_transaction_session_timeout = ${timeout}`,
  );
  return (lockKeys, work) =>
    db.transaction().execute(async (trx) => {
      await settings.execute(trx);
      const keys = [...new Set(typeof lockKeys === "string" ? [lockKeys] : lockKeys)];
      await sql`SELECT pg_advisory_xact_lock(h) FROM (
        SELECT hashtextextended(k, 0) AS h FROM unnest(${keys}::text[]) AS k ORDER BY h) AS ordered`.execute(trx);
      return work(createStores(trx, options));
    });
}
