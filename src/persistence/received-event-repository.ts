import type { Platform } from "../domain/inbound-event.ts";
import type { ReceivedClaim, ReceivedEventStore } from "../ports/received-event-store.ts";
import { type Db, driverSql } from "./prisma-client.ts";

type ClaimRow = { id: string; attempts: number };
type Recording = {
  platform: Platform;
  key: string;
  payload: string;
  lease: { token: string; until: Date; now: Date };
  resolve(claim: ReceivedClaim | null): void;
  reject(error: unknown): void;
};

/** Recording statements under way at once, and requests each records at most. */
const RECORDING_STATEMENTS = 2;
const RECORDING_BATCH = 100;

/**
 * On the driver: recording a request is on the path of Slack's 3-second acknowledgement,
 * where Prisma's runtime would add its milliseconds (see driver-sql.ts).
 *
 * The record is committed as any other: the platform is acknowledged only once PostgreSQL
 * has flushed it to disk, so neither a killed Leerlus process nor a crash of PostgreSQL
 * loses an acknowledged request. The requests that arrive while a recording statement is
 * under way are recorded together by the next one, so under load one flush serves many
 * acknowledgements (a group commit).
 */
export function createReceivedEventRepository(db: Db, options: { recordOn?: Db } = {}): ReceivedEventStore {
  const sql = driverSql(db);
  // Recording may have connections of its own (`serve` gives it some): then an
  // acknowledgement waits behind no other statement, not even the runner's own.
  const record = options.recordOn ? driverSql(options.recordOn) : sql;
  const settled = (claim: ReceivedClaim) => [claim.id, claim.token] as const;

  // Requests that arrive while a recording statement is under way are recorded together by
  // the next one: under load each acknowledgement waits for one short statement, not in line.
  let queued: Recording[] = [];
  let inFlight = 0;
  function pump(): void {
    while (inFlight < RECORDING_STATEMENTS && queued.length > 0) {
      const batch = queued.slice(0, RECORDING_BATCH);
      queued = queued.slice(RECORDING_BATCH);
      inFlight++;
      void recordBatch(batch).finally(() => {
        inFlight--;
        pump();
      });
    }
  }

  async function recordBatch(batch: Recording[]): Promise<void> {
    let rows: (ClaimRow & { claimToken: string })[];
    try {
      rows = await record<ClaimRow & { claimToken: string }>`
        INSERT INTO "ReceivedEvent"
          (id, platform, "eventKey", payload, attempts, "claimedUntil", "claimToken", "notBefore", "createdAt")
        SELECT gen_random_uuid()::text, i.platform, i.key, i.payload::jsonb, 1, i.until::timestamp(3), i.token,
          i.at::timestamp(3), i.at::timestamp(3)
        FROM unnest(${batch.map((item) => item.platform)}::text[], ${batch.map((item) => item.key)}::text[],
            ${batch.map((item) => item.payload)}::text[], ${batch.map((item) => item.lease.until.toISOString())}::text[],
            ${batch.map((item) => item.lease.token)}::text[], ${batch.map((item) => item.lease.now.toISOString())}::text[])
          AS i(platform, key, payload, until, token, at)
        ON CONFLICT (platform, "eventKey") DO NOTHING
        RETURNING id, attempts, "claimToken"`;
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    const inserted = new Map(rows.map((row) => [row.claimToken, row]));
    for (const item of batch) {
      const row = inserted.get(item.lease.token);
      if (row) item.resolve({ id: row.id, token: item.lease.token, attempts: row.attempts });
      else takeOver(item).then(item.resolve, item.reject);
    }
  }

  /** Seen before: a retry of the platform. Taken over only when its first handler is gone. */
  async function takeOver({ platform, key, lease }: Recording): Promise<ReceivedClaim | null> {
    const [taken] = await record<ClaimRow>`
      UPDATE "ReceivedEvent"
      SET "claimedUntil" = ${lease.until}, "claimToken" = ${lease.token}, attempts = attempts + 1
      WHERE platform = ${platform} AND "eventKey" = ${key} AND status = 'pending'
        AND ("claimedUntil" IS NULL OR "claimedUntil" < ${lease.now})
      RETURNING id, attempts`;
    return taken ? { id: taken.id, token: lease.token, attempts: taken.attempts } : null;
  }

  // Handled requests are settled together: those that finish while one statement is under
  // way wait for the next, so a busy process spends one statement on many, not one each.
  const completions = grouped(async (done: { claim: ReceivedClaim; at: Date }[]) => {
    await sql`
      UPDATE "ReceivedEvent" r
      SET status = 'done', payload = NULL, "handledAt" = d.at::timestamp(3), "claimedUntil" = NULL, "lastError" = NULL
      FROM unnest(${done.map((item) => item.claim.id)}::text[], ${done.map((item) => item.claim.token)}::text[],
          ${done.map((item) => item.at.toISOString())}::text[]) AS d(id, token, at),
        (SELECT set_config('synchronous_commit', 'off', true)) AS no_flush_wait
      WHERE r.id = d.id AND r."claimToken" = d.token`;
  });

  return {
    receive(platform, key, payload, lease) {
      return new Promise((resolve, reject) => {
        queued.push({ platform, key, payload: JSON.stringify(payload), lease, resolve, reject });
        pump();
      });
    },

    async claimDue(platform, lease, limit) {
      const rows = await sql<ClaimRow & { payload: unknown }>`
        UPDATE "ReceivedEvent" r
        SET "claimedUntil" = ${lease.until}, "claimToken" = ${lease.token}, attempts = r.attempts + 1
        WHERE r.id IN (
          SELECT id FROM "ReceivedEvent"
          WHERE status = 'pending' AND "notBefore" <= ${lease.now} AND platform = ${platform}
            AND ("claimedUntil" IS NULL OR "claimedUntil" < ${lease.now})
          ORDER BY "createdAt"
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED)
        RETURNING r.id, r.attempts, r.payload`;
      return rows.map((row) => ({ id: row.id, token: lease.token, attempts: row.attempts, payload: row.payload }));
    },

    // The runner's own bookkeeping is not flushed either: were PostgreSQL to lose it in a
    // crash, a request would only be claimed or handled once more.
    async extend(claims, until) {
      if (claims.length === 0) return;
      await sql`
        UPDATE "ReceivedEvent" r SET "claimedUntil" = ${until}::timestamp(3)
        FROM unnest(${claims.map((claim) => claim.id)}::text[], ${claims.map((claim) => claim.token)}::text[])
          AS held(id, token), (SELECT set_config('synchronous_commit', 'off', true)) AS no_flush_wait
        WHERE r.id = held.id AND r."claimToken" = held.token AND r.status = 'pending'`;
    },

    complete(claim, at) {
      return completions.add({ claim, at });
    },

    async retryLater(claim, notBefore, error) {
      const [id, token] = settled(claim);
      await sql`
        UPDATE "ReceivedEvent"
        SET "notBefore" = ${notBefore}, "claimedUntil" = NULL, "lastError" = ${error.slice(0, 500)}
        WHERE id = ${id} AND "claimToken" = ${token} AND status = 'pending'`;
    },

    async giveUp(claim, error) {
      const [id, token] = settled(claim);
      await sql`
        UPDATE "ReceivedEvent"
        SET status = 'failed', payload = NULL, "claimedUntil" = NULL, "lastError" = ${error.slice(0, 500)}
        WHERE id = ${id} AND "claimToken" = ${token} AND status = 'pending'`;
    },

    async prune(before, limit) {
      const rows = await sql<{ id: string }>`
        DELETE FROM "ReceivedEvent"
        WHERE id IN (
          SELECT id FROM "ReceivedEvent" WHERE "createdAt" < ${before} AND status <> 'pending' LIMIT ${limit})
        RETURNING id`;
      return rows.length;
    },
  };
}

/**
 * Runs `write` on the items added while the previous call was under way, one call at a time;
 * each `add` settles with the call that wrote its item.
 */
function grouped<T>(write: (items: T[]) => Promise<void>) {
  let waiting: { item: T; resolve(): void; reject(error: unknown): void }[] = [];
  let busy = false;
  async function drain(): Promise<void> {
    busy = true;
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      try {
        await write(batch.map((entry) => entry.item));
        for (const entry of batch) entry.resolve();
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
    }
    busy = false;
  }
  return {
    add(item: T): Promise<void> {
      return new Promise((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        if (!busy) void drain();
      });
    },
  };
}
