import { type CheckpointDefinition, effectiveStrength, type Strength } from "../domain/checkpoint-definition.ts";
import { checkpointDueAt, phaseTargets, plannedGate } from "../domain/gate.ts";
import { type ActivePhase, type CheckpointPhase, phaseAhead } from "../domain/phase.ts";
import { appliesTo, type ProjectFlags, readFlags } from "../domain/project-flags.ts";
import type { CheckpointDetail, GatePlanning } from "../ports/gate-store.ts";
import type { Stores } from "../ports/stores.ts";
import type { Deps } from "./deps.ts";

/** Reason stored on a checkpoint the project's flags made not applicable: `auto:<flag>,<flag>`. */
export const AUTO_REASON_PREFIX = "auto:";

export type PlannedCheckpoint = CheckpointDetail & {
  definition: CheckpointDefinition;
  /** A before-start checkpoint of the phase ahead: it guards the next gate. */
  ahead: boolean;
  strength: Strength;
};

/** Open, guarding the next gate, and not merely recommended: the decision to go on waits for it. */
export function blocksGate(checkpoint: PlannedCheckpoint): boolean {
  return checkpoint.ahead && checkpoint.status === "open" && checkpoint.strength !== "recommended";
}

/** The definition of a stored checkpoint, in the language asked for. */
export function definitionOf(
  deps: Pick<Deps, "prompts">,
  phase: string,
  key: string,
  locale: "nl" | "en" = "en",
): CheckpointDefinition | undefined {
  const phases: readonly string[] = ["explore", "pilot", "implement", "scale", "finished"];
  if (!phases.includes(phase)) return undefined;
  return deps.prompts.checkpoints(phase as CheckpointPhase, locale).find((definition) => definition.key === key);
}

/**
 * Makes sure a project in `phase` has the checkpoints it needs: those of its phase, and
 * the `before-start` ones of the phase ahead (they guard the gate into it), each due by its
 * `when`. Then brings them in line with the project's flags: what cannot apply is marked
 * not applicable with the flags as reason, and opens again when a flag turns to yes.
 * With `replan`, open checkpoints move to their dates for a new or re-planned gate.
 */
export async function planCheckpoints(
  deps: Deps,
  tx: Stores,
  planning: GatePlanning,
  phase: ActivePhase,
  options: { phaseSince: Date; gateDate: Date | null; replan?: boolean },
): Promise<PlannedCheckpoint[]> {
  const now = deps.clock.now();
  const flags = readFlags(planning.flags);
  const gate = plannedGate({
    phase,
    phaseSince: options.phaseSince,
    gateDate: options.gateDate,
    targets: phaseTargets(planning.phaseTargets),
  });
  const ahead = phaseAhead(phase);
  const wanted = [
    ...deps.prompts.checkpoints(phase, "en").map((definition) => ({ definition, ahead: false })),
    ...deps.prompts
      .checkpoints(ahead, "en")
      .filter((definition) => definition.when === "before-start")
      .map((definition) => ({ definition, ahead: true })),
  ];
  const dueOf = (item: { definition: CheckpointDefinition; ahead: boolean }) =>
    checkpointDueAt(item.definition.when, options.phaseSince, gate, item.ahead);
  const strengthOf = (definition: CheckpointDefinition) => effectiveStrength(definition, flags, now);
  const must = (definition: CheckpointDefinition) => strengthOf(definition) === "required";
  await tx.checkpoints.ensure(
    planning.projectId,
    wanted.map((item) => ({
      phase: item.definition.phase,
      key: item.definition.key,
      mustMeet: must(item.definition),
      dueAt: dueOf(item),
    })),
  );
  const stored = [
    ...(await tx.gates.checkpoints(planning.projectId, phase)),
    ...(await tx.gates.checkpoints(planning.projectId, ahead)),
  ];
  const byKey = new Map(wanted.map((item) => [`${item.definition.phase}/${item.definition.key}`, item]));
  const planned: PlannedCheckpoint[] = [];
  const replans: { id: string; dueAt: Date }[] = [];
  for (const row of stored) {
    const item = byKey.get(`${row.phase}/${row.key}`);
    if (!item) continue;
    const synced = await syncWithFlags(tx, row, item.definition, flags, must(item.definition), now);
    if (options.replan && synced.status === "open") replans.push({ id: row.id, dueAt: dueOf(item) });
    planned.push({ ...synced, definition: item.definition, ahead: item.ahead, strength: strengthOf(item.definition) });
  }
  if (replans.length > 0) await tx.gates.replan(replans);
  return planned;
}

async function syncWithFlags(
  tx: Stores,
  row: CheckpointDetail,
  definition: CheckpointDefinition,
  flags: ProjectFlags,
  mustMeet: boolean,
  at: Date,
): Promise<CheckpointDetail> {
  const applies = appliesTo(definition.appliesIf, flags);
  const auto = row.status === "not-applicable" && (row.reason ?? "").startsWith(AUTO_REASON_PREFIX);
  if (!applies && row.status === "open") {
    const reason = `${AUTO_REASON_PREFIX}${definition.appliesIf.join(",")}`;
    await tx.gates.syncCheckpoint(row.id, { status: "not-applicable", reason, mustMeet, at });
    return { ...row, status: "not-applicable", reason, mustMeet };
  }
  if (applies && auto) {
    await tx.gates.syncCheckpoint(row.id, { status: "open", mustMeet, at });
    return { ...row, status: "open", reason: null, mustMeet };
  }
  if (row.mustMeet !== mustMeet) await tx.gates.syncCheckpoint(row.id, { mustMeet, at });
  return { ...row, mustMeet };
}
