import type { Stores, UnitOfWork } from "../ports/store.ts";
import { createAuditRepository } from "./audit-repository.ts";
import { createCheckpointRepository } from "./checkpoint-repository.ts";
import type { DbClient } from "./client-types.ts";
import { createDaysOffRepository } from "./days-off-repository.ts";
import { createDigestRepository } from "./digest-repository.ts";
import { createDirectoryRepository } from "./directory-repository.ts";
import type { DriverSql } from "./driver-sql.ts";
import { createFormRepository } from "./form-repository.ts";
import { createGateRepository } from "./gate-repository.ts";
import { createInterventionRepository } from "./intervention-repository.ts";
import { createLessonLibraryRepository } from "./lesson-library-repository.ts";
import { createLessonRepository } from "./lesson-repository.ts";
import { createOutboxRepository } from "./outbox-repository.ts";
import { type Db, driverSql, transaction } from "./prisma-client.ts";
import { createProjectAdminRepository } from "./project-admin-repository.ts";
import { createRetroRepository } from "./retro-repository.ts";
import type { TokenCipher } from "./token-cipher.ts";
import { createTrackerRepository } from "./tracker-repository.ts";

/** Seals and unseals tokens (trackers'); without it, only tracker tokens are out of reach. */
export type StoreOptions = { cipher?: TokenCipher };

/** Repositories outside any transaction. */
export function createStores(db: Db, options: StoreOptions = {}): Stores {
  return storesOn(db, driverSql(db), options);
}

function storesOn(db: DbClient, sql: DriverSql, options: StoreOptions): Stores {
  return {
    retro: createRetroRepository(db, sql),
    lessons: createLessonRepository(db),
    library: createLessonLibraryRepository(db, sql),
    directory: createDirectoryRepository(db),
    checkpoints: createCheckpointRepository(db),
    gates: createGateRepository(db),
    digests: createDigestRepository(db),
    audit: createAuditRepository(db),
    outbox: createOutboxRepository(sql),
    projects: createProjectAdminRepository(db, sql),
    daysOff: createDaysOffRepository(db),
    interventions: createInterventionRepository(db),
    trackers: createTrackerRepository(sql, options.cipher),
    forms: createFormRepository(db),
  };
}

/**
 * One transaction per unit of work (of at most `timeoutMs`, a minute unless an import needs
 * longer), serialised per lock key with a transaction-scoped
 * advisory lock, so two workers advancing the same project take turns. Several keys are
 * locked in one statement, in one global order, so two batches cannot deadlock on them.
 */
export function createUnitOfWork(db: Db, options: { timeoutMs?: number } & StoreOptions = {}): UnitOfWork {
  const timeout = options.timeoutMs ?? 60_000;
  return (lockKeys, work) =>
    transaction(
      db,
      {
        text: `SELECT pg_advisory_xact_lock(h) FROM (
          SELECT hashtextextended(k, 0) AS h FROM unnest($1::text[]) AS k ORDER BY h) AS ordered`,
        values: [[...new Set(typeof lockKeys === "string" ? [lockKeys] : lockKeys)]],
      },
      (tx, sql) => work(storesOn(tx, sql, options)),
      { timeout, maxWait: 30_000 },
    );
}
