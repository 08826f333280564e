import { DEMO_IDS } from "../../src/persistence/demo-seed.ts";
import type { CycleRecord } from "../../src/ports/retro-store.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { closeVoting, showVotingClosed } from "../../src/use-cases/sense-making/close-voting.ts";
import { closedPilotRetro } from "./demo-answers.ts";
import type { createTestCore } from "./test-core.ts";
import type { TestDatabase } from "./test-database.ts";

/** Minutes between the pilot's retros here: long enough that closing one does not open the next. */
const EVERY = 60;

/**
 * The pilot's retro, answered by three writers and closed, its action answers proposed to the
 * team after a voting nobody used. The pilot meets hourly, so its next retro (the review) opens only when
 * {@link openNextRetro} says. Returns the cycle and its actions' ids, oldest first.
 */
export async function closedRetroWithProposals(
  core: ReturnType<typeof createTestCore>,
  database: TestDatabase,
): Promise<{ cycle: CycleRecord; ids: string[] }> {
  const cycle = await closedPilotRetro(core.deps, core.clock, async () => {
    await database.prisma.project.update({ where: { id: DEMO_IDS.implementation }, data: { active: false } });
    // The first slot comes when closedPilotRetro opens the retro: four minutes from now.
    const since = new Date(core.clock.now().getTime() + 4 * 60_000 - EVERY * 60_000);
    await database.prisma.project.update({
      where: { id: DEMO_IDS.pilot },
      data: { cadence: { kind: "minutes", every: EVERY }, cadenceSince: since },
    });
  });
  // Enough people answered, so the team's voting began; nobody votes and it closes, which
  // proposes the answers to the action question.
  const closed = await core.deps.unitOfWork(`project:${DEMO_IDS.pilot}`, (stores) =>
    closeVoting(core.deps, stores, cycle.id, core.clock.now()),
  );
  if (closed) await showVotingClosed(core.deps, closed);
  const rows = await database.prisma.actionItem.findMany({
    where: { cycleId: cycle.id },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return { cycle, ids: rows.map((row) => row.id) };
}

/** The pilot's next retro opens: it starts by reviewing the actions. */
export async function openNextRetro(core: ReturnType<typeof createTestCore>): Promise<void> {
  core.clock.advance(EVERY * 60_000);
  await advanceProject(core.deps, DEMO_IDS.pilot);
}
