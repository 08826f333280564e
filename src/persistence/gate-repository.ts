import { sql } from "kysely";
import { isStuck, STUCK_AFTER_NUDGES } from "../domain/gate.ts";
import type { Phase } from "../domain/phase.ts";
import type { GateStore } from "../ports/gate-store.ts";
import { type Db, json } from "./database.ts";

const NOTICE_PREFIX = "gate-notice:";

export function createGateRepository(db: Db): GateStore {
  const checkpoint = (checkpointId: string) => db.updateTable("Checkpoint").where("id", "=", checkpointId);
  const updatedOne = (result: { numUpdatedRows: bigint }) => Number(result.numUpdatedRows) === 1;
  return {
    async planning(projectId) {
      const row = await db
        .selectFrom("Project as p")
        .innerJoin("Organisation as o", "o.id", "p.organisationId")
        .select([
          "p.id",
          "p.organisationId",
          "p.name",
          "p.phase",
          "p.phaseSince",
          "p.gateDate",
          "o.phaseTargets",
          "p.flags",
          "p.mission",
          "p.domain",
        ])
        .where("p.id", "=", projectId)
        .executeTakeFirst();
      if (!row) return null;
      const { id, phase, ...rest } = row;
      return { projectId: id, phase: phase as Phase, ...rest };
    },

    async checkpoint(checkpointId) {
      return (await db.selectFrom("Checkpoint").selectAll().where("id", "=", checkpointId).executeTakeFirst()) ?? null;
    },

    async checkpoints(projectId, phase) {
      return db
        .selectFrom("Checkpoint")
        .selectAll()
        .where("projectId", "=", projectId)
        .where("phase", "=", phase)
        .orderBy("mustMeet", "desc")
        .orderBy("key")
        .execute();
    },

    async decideCheckpoint(checkpointId, input) {
      const result = await checkpoint(checkpointId)
        .set({
          status: input.status,
          decidedById: input.personId,
          decidedAt: input.at,
          ...(input.status === "done" ? { evidence: input.note } : { reason: input.note }),
        })
        .where("status", "=", "open")
        .executeTakeFirst();
      return updatedOne(result);
    },

    async syncCheckpoint(checkpointId, patch) {
      const changes = {
        ...(patch.mustMeet === undefined ? {} : { mustMeet: patch.mustMeet }),
        ...(patch.status === "not-applicable"
          ? { status: patch.status, reason: patch.reason ?? null, decidedAt: patch.at }
          : {}),
        ...(patch.status === "open" ? { status: "open", reason: null, decidedAt: null, decidedById: null } : {}),
      };
      if (Object.keys(changes).length === 0) return;
      await checkpoint(checkpointId).set(changes).execute();
    },

    async attachEvidence(checkpointId, evidence) {
      return updatedOne(
        await checkpoint(checkpointId).set({ evidence }).where("status", "=", "open").executeTakeFirst(),
      );
    },

    async replan(items) {
      for (const item of items) {
        await checkpoint(item.id)
          .set({ dueAt: item.dueAt, snoozedUntil: null, nudgesSent: 0, lastNudgedAt: null })
          .where("status", "=", "open")
          .execute();
      }
    },

    async setFlags(projectId, flags) {
      await db
        .updateTable("Project")
        .set({ flags: json(flags) })
        .where("id", "=", projectId)
        .execute();
    },

    async snoozeCheckpoint(checkpointId, until) {
      await checkpoint(checkpointId).set({ snoozedUntil: until, nudgesSent: 0 }).execute();
    },

    async replanCheckpoints(projectId, phase, dueAt) {
      await db
        .updateTable("Checkpoint")
        .set({ dueAt, snoozedUntil: null, nudgesSent: 0, lastNudgedAt: null })
        .where("projectId", "=", projectId)
        .where("phase", "=", phase)
        .where("status", "=", "open")
        .execute();
    },

    async decidedWithForm(formKey) {
      return (
        (await db.selectFrom("GateDecision").select("id").where("formKey", "=", formKey).executeTakeFirst()) !==
        undefined
      );
    },

    async recordDecision(input) {
      const decision = await db
        .insertInto("GateDecision")
        .values({
          projectId: input.projectId,
          fromPhase: input.fromPhase,
          toPhase: input.toPhase,
          decision: input.decision,
          reason: input.reason,
          decidedById: input.decidedById,
          formKey: input.formKey ?? null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await db
        .updateTable("Project")
        .set({ phase: input.toPhase, phaseSince: input.phaseSince, gateDate: input.gateDate })
        .where("id", "=", input.projectId)
        .execute();
      return decision.id;
    },

    async lastGateNotice(projectId) {
      // starts_with, not LIKE: the project id is matched as it is, whatever it holds.
      const rows = await db
        .selectFrom("OutboxMessage")
        .select("key")
        .where(sql<boolean>`starts_with(key, ${`${NOTICE_PREFIX}${projectId}:`})`)
        .execute();
      const times = rows.map((row) => Number(row.key.split(":")[2])).filter(Number.isFinite);
      return times.length > 0 ? new Date(Math.max(...times)) : null;
    },

    async stuckProjects(organisationId) {
      const candidates = await db
        .selectFrom("Checkpoint as c")
        .innerJoin("Project as p", "p.id", "c.projectId")
        .select([
          "c.mustMeet",
          "c.status",
          "c.nudgesSent",
          "c.phase",
          "p.id as projectId",
          "p.name",
          "p.phase as projectPhase",
        ])
        .where("c.status", "=", "open")
        .where("c.nudgesSent", ">=", STUCK_AFTER_NUDGES)
        .where("p.organisationId", "=", organisationId)
        .where("p.active", "=", true)
        .execute();
      const now = new Date(0);
      const stuck = new Map<string, { projectId: string; name: string; phase: Phase }>();
      for (const candidate of candidates) {
        // Only the current phase counts; snoozing resets the count, so no clock is needed here.
        if (candidate.phase !== candidate.projectPhase) continue;
        if (!isStuck([{ ...candidate, snoozedUntil: null }], now)) continue;
        stuck.set(candidate.projectId, {
          projectId: candidate.projectId,
          name: candidate.name,
          phase: candidate.projectPhase as Phase,
        });
      }
      return [...stuck.values()].sort((a, b) => a.name.localeCompare(b.name));
    },

    async portfolio(organisationId, managerId) {
      let projects = db
        .selectFrom("Project as p")
        .select((eb) => [
          "p.id",
          "p.name",
          "p.phase",
          "p.phaseSince",
          "p.gateDate",
          // The latest closed cycle's invitations and answers.
          eb
            .selectFrom("Delivery as d")
            .select(
              sql<{ invited: number; answered: number }>`json_build_object(
              'invited', count(*)::int, 'answered', count(d."answeredAt")::int)`.as("retro"),
            )
            .where("d.cycleId", "=", (inner) =>
              inner
                .selectFrom("RetroCycle as c")
                .select("c.id")
                .whereRef("c.projectId", "=", "p.id")
                .where("c.status", "=", "closed")
                .orderBy("c.sequence", "desc")
                .limit(1),
            )
            .as("lastRetro"),
          eb
            .selectFrom("RetroCycle as c")
            .select("c.id")
            .whereRef("c.projectId", "=", "p.id")
            .where("c.status", "=", "closed")
            .limit(1)
            .as("closedCycle"),
        ])
        .where("p.organisationId", "=", organisationId)
        .where("p.active", "=", true);
      if (managerId)
        projects = projects.where((eb) =>
          eb.exists(
            eb
              .selectFrom("Membership as m")
              .select("m.id")
              .whereRef("m.projectId", "=", "p.id")
              .where("m.personId", "=", managerId)
              .where("m.role", "=", "manager"),
          ),
        );
      const rows = await projects.orderBy("p.name").execute();
      const checkpoints =
        rows.length === 0
          ? []
          : await db
              .selectFrom("Checkpoint")
              .select(["projectId", "phase", "mustMeet", "status", "nudgesSent", "snoozedUntil", "dueAt"])
              .where(
                "projectId",
                "in",
                rows.map((row) => row.id),
              )
              .orderBy("id")
              .execute();
      return rows.map((row) => ({
        projectId: row.id,
        name: row.name,
        phase: row.phase as Phase,
        phaseSince: row.phaseSince,
        gateDate: row.gateDate,
        checkpoints: checkpoints
          .filter((item) => item.projectId === row.id && item.phase === row.phase)
          .map(({ projectId: _project, phase: _phase, ...item }) => item),
        lastRetro: row.closedCycle ? (row.lastRetro ?? { invited: 0, answered: 0 }) : null,
      }));
    },

    async organisationSettings(organisationId) {
      const row = await db
        .selectFrom("Organisation")
        .select(["name", "phaseTargets", "minGroupSize"])
        .where("id", "=", organisationId)
        .executeTakeFirst();
      return row ?? null;
    },
  };
}
