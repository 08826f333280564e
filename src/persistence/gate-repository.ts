import { isStuck, STUCK_AFTER_NUDGES } from "../domain/gate.ts";
import type { Phase } from "../domain/phase.ts";
import type { CheckpointDetail, GateStore } from "../ports/gate-store.ts";
import type { DbClient } from "./client-types.ts";

const NOTICE_PREFIX = "gate-notice:";

export function createGateRepository(db: DbClient): GateStore {
  return {
    async planning(projectId) {
      const row = await db.project.findUnique({ where: { id: projectId }, include: { organisation: true } });
      if (!row) return null;
      return {
        projectId: row.id,
        organisationId: row.organisationId,
        name: row.name,
        phase: row.phase as Phase,
        phaseSince: row.phaseSince,
        gateDate: row.gateDate,
        phaseTargets: row.organisation.phaseTargets,
        flags: row.flags,
        mission: row.mission,
        domain: row.domain,
      };
    },

    async checkpoint(checkpointId) {
      return db.checkpoint.findUnique({ where: { id: checkpointId } }) as Promise<CheckpointDetail | null>;
    },

    async checkpoints(projectId, phase) {
      return db.checkpoint.findMany({ where: { projectId, phase }, orderBy: [{ mustMeet: "desc" }, { key: "asc" }] });
    },

    async decideCheckpoint(checkpointId, input) {
      const updated = await db.checkpoint.updateMany({
        where: { id: checkpointId, status: "open" },
        data: {
          status: input.status,
          decidedById: input.personId,
          decidedAt: input.at,
          ...(input.status === "done" ? { evidence: input.note } : { reason: input.note }),
        },
      });
      return updated.count === 1;
    },

    async syncCheckpoint(checkpointId, patch) {
      const reopen = patch.status === "open";
      await db.checkpoint.update({
        where: { id: checkpointId },
        data: {
          ...(patch.mustMeet === undefined ? {} : { mustMeet: patch.mustMeet }),
          ...(patch.status === "not-applicable"
            ? { status: patch.status, reason: patch.reason ?? null, decidedAt: patch.at }
            : {}),
          ...(reopen ? { status: "open", reason: null, decidedAt: null, decidedById: null } : {}),
        },
      });
    },

    async attachEvidence(checkpointId, evidence) {
      const updated = await db.checkpoint.updateMany({
        where: { id: checkpointId, status: "open" },
        data: { evidence },
      });
      return updated.count === 1;
    },

    async replan(items) {
      for (const item of items) {
        await db.checkpoint.updateMany({
          where: { id: item.id, status: "open" },
          data: { dueAt: item.dueAt, snoozedUntil: null, nudgesSent: 0, lastNudgedAt: null },
        });
      }
    },

    async setFlags(projectId, flags) {
      await db.project.update({ where: { id: projectId }, data: { flags } });
    },

    async snoozeCheckpoint(checkpointId, until) {
      await db.checkpoint.update({ where: { id: checkpointId }, data: { snoozedUntil: until, nudgesSent: 0 } });
    },

    async replanCheckpoints(projectId, phase, dueAt) {
      await db.checkpoint.updateMany({
        where: { projectId, phase, status: "open" },
        data: { dueAt, snoozedUntil: null, nudgesSent: 0, lastNudgedAt: null },
      });
    },

    async decidedWithForm(formKey) {
      return (await db.gateDecision.count({ where: { formKey } })) > 0;
    },

    async recordDecision(input) {
      const decision = await db.gateDecision.create({
        data: {
          projectId: input.projectId,
          fromPhase: input.fromPhase,
          toPhase: input.toPhase,
          decision: input.decision,
          reason: input.reason,
          decidedById: input.decidedById,
          formKey: input.formKey ?? null,
        },
      });
      await db.project.update({
        where: { id: input.projectId },
        data: { phase: input.toPhase, phaseSince: input.phaseSince, gateDate: input.gateDate },
      });
      return decision.id;
    },

    async lastGateNotice(projectId) {
      const rows = await db.outboxMessage.findMany({
        where: { key: { startsWith: `${NOTICE_PREFIX}${projectId}:` } },
        select: { key: true },
      });
      const times = rows.map((row) => Number(row.key.split(":")[2])).filter(Number.isFinite);
      return times.length > 0 ? new Date(Math.max(...times)) : null;
    },

    async stuckProjects(organisationId) {
      const candidates = await db.checkpoint.findMany({
        where: { status: "open", nudgesSent: { gte: STUCK_AFTER_NUDGES }, project: { organisationId, active: true } },
        include: { project: { select: { id: true, name: true, phase: true } } },
      });
      const now = new Date(0);
      const stuck = new Map<string, { projectId: string; name: string; phase: Phase }>();
      for (const checkpoint of candidates) {
        // Only the current phase counts; snoozing resets the count, so no clock is needed here.
        if (checkpoint.phase !== checkpoint.project.phase) continue;
        if (!isStuck([{ ...checkpoint, snoozedUntil: null }], now)) continue;
        stuck.set(checkpoint.project.id, {
          projectId: checkpoint.project.id,
          name: checkpoint.project.name,
          phase: checkpoint.project.phase as Phase,
        });
      }
      return [...stuck.values()].sort((a, b) => a.name.localeCompare(b.name));
    },

    async portfolio(organisationId, managerId) {
      const rows = await db.project.findMany({
        where: {
          organisationId,
          active: true,
          ...(managerId ? { memberships: { some: { personId: managerId, role: "manager" } } } : {}),
        },
        include: {
          checkpoints: true,
          cycles: {
            where: { status: "closed" },
            orderBy: { sequence: "desc" },
            take: 1,
            include: { deliveries: { select: { answeredAt: true } } },
          },
        },
        orderBy: { name: "asc" },
      });
      return rows.map((row) => {
        const cycle = row.cycles[0];
        return {
          projectId: row.id,
          name: row.name,
          phase: row.phase as Phase,
          phaseSince: row.phaseSince,
          gateDate: row.gateDate,
          checkpoints: row.checkpoints.filter((checkpoint) => checkpoint.phase === row.phase),
          lastRetro: cycle
            ? {
                invited: cycle.deliveries.length,
                answered: cycle.deliveries.filter((delivery) => delivery.answeredAt).length,
              }
            : null,
        };
      });
    },

    async organisationSettings(organisationId) {
      const row = await db.organisation.findUnique({ where: { id: organisationId } });
      return row ? { name: row.name, phaseTargets: row.phaseTargets, minGroupSize: row.minGroupSize } : null;
    },
  };
}
