// What /readyz asks. Each answers what the process's work really uses, and fails at once
// when the answer is already known to be no: a check that waits is cut off by the HTTP app.

import { LeerlusError } from "../domain/leerlus-error.ts";
import type { Db } from "../persistence/database.ts";
import { databasePing } from "../persistence/operational-figures.ts";
import type { RedisHealth } from "../scheduler/redis-health.ts";
import type { ReadinessCheck } from "./health-routes.ts";

/** PostgreSQL answers. */
export function databaseReadiness(db: Db): ReadinessCheck {
  return { name: "postgres", check: databasePing(db) };
}

/** Redis is connected and answers PING. */
export function redisReadiness(connection: { ping(): Promise<string> }, health: RedisHealth): ReadinessCheck {
  return {
    name: "redis",
    check: async () => {
      if (!health.available()) throw new LeerlusError("REDIS_UNAVAILABLE", "not connected");
      await connection.ping();
    },
  };
}
