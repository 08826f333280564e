// A project's tracker and each action's work item there. The token is sealed with the same
// AES-256-GCM cipher as the Slack tokens before it is stored, and unsealed only for a send.
import { z } from "zod";
import { LeerlusError } from "../domain/leerlus-error.ts";
import type { TrackerExportStatus } from "../domain/record-status.ts";
import type { TrackerKind } from "../domain/tracker.ts";
import type { TrackerExportRecord, TrackerSettings, TrackerStore } from "../ports/tracker.ts";
import type { DriverSql } from "./driver-sql.ts";
import type { TokenCipher } from "./token-cipher.ts";

type SettingsRow = {
  projectId: string;
  kind: TrackerKind;
  baseUrl: string;
  trackerProject: string;
  autoSend: boolean;
  updatedAt: Date;
  credentials: string;
};

type ExportRow = Omit<TrackerExportRecord, "status"> & { status: TrackerExportStatus };

const credentialsSchema = z.object({ token: z.string().min(1), email: z.string().optional() });

function settingsOf(row: SettingsRow): TrackerSettings {
  return {
    projectId: row.projectId,
    kind: row.kind,
    baseUrl: row.baseUrl,
    project: row.trackerProject,
    autoSend: row.autoSend,
    updatedAt: row.updatedAt,
  };
}

/** On the driver, so it runs inside a unit of work's transaction as well as outside one. */
export function createTrackerRepository(sql: DriverSql, cipher: TokenCipher | undefined): TrackerStore {
  const sealer = (): TokenCipher => {
    if (!cipher) throw new LeerlusError("TRACKER_CIPHER_MISSING", "tracker tokens need the token cipher");
    return cipher;
  };
  const one = async (actionId: string): Promise<TrackerExportRecord> => {
    const [row] = await sql<ExportRow>`
      SELECT "actionId", "projectId", status, attempts, tracker, "externalKey", url, "errorCode"
      FROM "TrackerExport" WHERE "actionId" = ${actionId}`;
    if (!row) throw new LeerlusError("TRACKER_EXPORT_MISSING", "the export was not recorded");
    return row;
  };
  return {
    async settings(projectId) {
      const [row] = await sql<SettingsRow>`SELECT * FROM "ProjectTracker" WHERE "projectId" = ${projectId}`;
      return row ? settingsOf(row) : null;
    },
    async kinds(projectIds) {
      if (projectIds.length === 0) return new Map();
      const rows = await sql<{ projectId: string; kind: TrackerKind }>`
        SELECT "projectId", kind FROM "ProjectTracker" WHERE "projectId" = ANY(${[...projectIds]}::text[])`;
      return new Map(rows.map((row) => [row.projectId, row.kind]));
    },
    async target(projectId) {
      const [row] = await sql<SettingsRow>`SELECT * FROM "ProjectTracker" WHERE "projectId" = ${projectId}`;
      if (!row) return null;
      const credentials = credentialsSchema.parse(JSON.parse(sealer().decrypt(row.credentials)));
      return { ...settingsOf(row), credentials };
    },
    async configure(input) {
      const sealed = sealer().encrypt(JSON.stringify(input.credentials));
      await sql`
        INSERT INTO "ProjectTracker"
          ("projectId", kind, "baseUrl", "trackerProject", credentials, "autoSend", "createdAt", "updatedAt")
        VALUES (${input.projectId}, ${input.kind}, ${input.baseUrl}, ${input.project}, ${sealed}, ${input.autoSend},
          ${input.at}::timestamp(3), ${input.at}::timestamp(3))
        ON CONFLICT ("projectId") DO UPDATE SET kind = EXCLUDED.kind, "baseUrl" = EXCLUDED."baseUrl",
          "trackerProject" = EXCLUDED."trackerProject", credentials = EXCLUDED.credentials,
          "autoSend" = EXCLUDED."autoSend", "updatedAt" = EXCLUDED."updatedAt"`;
    },
    async setAutoSend(projectId, on, at) {
      const rows = await sql`
        UPDATE "ProjectTracker" SET "autoSend" = ${on}, "updatedAt" = ${at}::timestamp(3)
        WHERE "projectId" = ${projectId} RETURNING "projectId"`;
      return rows.length > 0;
    },
    async remove(projectId) {
      const rows = await sql`DELETE FROM "ProjectTracker" WHERE "projectId" = ${projectId} RETURNING "projectId"`;
      return rows.length > 0;
    },
    async request(actionId, projectId, at) {
      // A failed send is asked for again (say after a new token); a pending or sent one stays.
      await sql`
        INSERT INTO "TrackerExport" ("actionId", "projectId", "requestedAt")
        VALUES (${actionId}, ${projectId}, ${at}::timestamp(3))
        ON CONFLICT ("actionId") DO UPDATE SET status = 'pending', "errorCode" = NULL, "requestedAt" = EXCLUDED."requestedAt"
        WHERE "TrackerExport".status = 'failed'`;
      return one(actionId);
    },
    async requestForCycle(projectId, cycleId, at) {
      const rows = await sql<{ actionId: string }>`
        INSERT INTO "TrackerExport" ("actionId", "projectId", "requestedAt")
        SELECT a.id, a."projectId", ${at}::timestamp(3)
        FROM "ActionItem" a JOIN "ProjectTracker" t ON t."projectId" = a."projectId" AND t."autoSend"
        WHERE a."projectId" = ${projectId} AND a."cycleId" = ${cycleId}
        ORDER BY a."createdAt", a.id
        ON CONFLICT ("actionId") DO NOTHING
        RETURNING "actionId"`;
      return rows.map((row) => row.actionId);
    },
    async claim(actionId, now, leaseMs) {
      const until = new Date(now.getTime() + leaseMs);
      const [row] = await sql<ExportRow>`
        UPDATE "TrackerExport" SET attempts = attempts + 1, "claimedUntil" = ${until}::timestamp(3)
        WHERE "actionId" = ${actionId} AND status = 'pending'
          AND ("claimedUntil" IS NULL OR "claimedUntil" < ${now}::timestamp(3))
        RETURNING "actionId", "projectId", status, attempts, tracker, "externalKey", url, "errorCode"`;
      return row ?? null;
    },
    async markSent(actionId, item, at) {
      await sql`
        UPDATE "TrackerExport" SET status = 'sent', tracker = ${item.tracker}, "externalKey" = ${item.key}, url = ${item.url},
          "sentAt" = ${at}::timestamp(3), "claimedUntil" = NULL, "errorCode" = NULL
        WHERE "actionId" = ${actionId}`;
    },
    async release(actionId) {
      await sql`UPDATE "TrackerExport" SET "claimedUntil" = NULL WHERE "actionId" = ${actionId} AND status = 'pending'`;
    },
    async markFailed(actionId, problem) {
      await sql`
        UPDATE "TrackerExport" SET status = 'failed', "errorCode" = ${problem}, "claimedUntil" = NULL
        WHERE "actionId" = ${actionId} AND status = 'pending'`;
    },
    async exports(actionIds) {
      if (actionIds.length === 0) return new Map();
      const rows = await sql<ExportRow>`
        SELECT "actionId", "projectId", status, attempts, tracker, "externalKey", url, "errorCode"
        FROM "TrackerExport" WHERE "actionId" = ANY(${[...actionIds]}::text[])`;
      return new Map(rows.map((row) => [row.actionId, row]));
    },
    async source(actionId) {
      const [row] = await sql<{
        projectId: string;
        projectName: string;
        text: string;
        sequence: number | null;
        dueAt: Date | null;
      }>`
        SELECT a."projectId", p.name AS "projectName", a.text, c.sequence, a."dueAt"
        FROM "ActionItem" a JOIN "Project" p ON p.id = a."projectId" LEFT JOIN "RetroCycle" c ON c.id = a."cycleId"
        WHERE a.id = ${actionId}`;
      return row ?? null;
    },
    async pending(now, limit) {
      const rows = await sql<{ actionId: string }>`
        SELECT "actionId" FROM "TrackerExport"
        WHERE status = 'pending' AND ("claimedUntil" IS NULL OR "claimedUntil" < ${now}::timestamp(3))
        ORDER BY "requestedAt" LIMIT ${limit}`;
      return rows.map((row) => row.actionId);
    },
  };
}
