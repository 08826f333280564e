import type { Db } from "../../src/persistence/database.ts";
import { DEMO_IDS } from "../../src/persistence/demo-seed.ts";
import type { CycleRecord } from "../../src/ports/retro-store.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import type { Deps } from "../../src/use-cases/deps.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { responseKeyFor } from "../../src/use-cases/submit-answers.ts";

/**
 * Demo people answer the retro in their own web chat, as if they sent its form: every text
 * question with `text(questionKey, personId)`, every 1–5 question with `score`.
 */
export async function answerAsDemoPeople(
  deps: Deps,
  cycle: CycleRecord,
  personIds: readonly string[],
  text: (questionKey: string, personId: string) => string,
  score = "3",
): Promise<void> {
  for (const personId of personIds) {
    await handleEvent(deps, {
      type: "formSubmitted",
      platform: "web",
      tenantId: DEMO_IDS.organisation,
      platformUserId: personId,
      conversationRef: `web:dm:${personId}`,
      actionId: "retro.answer",
      value: cycle.id,
      answers: Object.fromEntries(
        cycle.questions.nl.map((q) => [q.key, q.kind === "scale" ? score : text(q.key, personId)]),
      ),
    });
  }
}

/** One person's answers in a cycle, by question key (scores as text), found by their response key. */
export async function answersOf(
  db: Db,
  secret: string,
  cycleId: string,
  personId: string,
): Promise<Record<string, string>> {
  const delivery = await db
    .selectFrom("Delivery")
    .select("id")
    .where("cycleId", "=", cycleId)
    .where("personId", "=", personId)
    .executeTakeFirstOrThrow();
  const rows = await db
    .selectFrom("Answer")
    .select(["questionKey", "text", "score"])
    .where("cycleId", "=", cycleId)
    .where("responseKey", "=", responseKeyFor(secret, delivery.id))
    .execute();
  return Object.fromEntries(rows.map((row) => [row.questionKey, row.text ?? String(row.score)]));
}

/** What three demo members write: enough answers for a summary to show them (a group of three). */
export const THREE_WRITERS: Record<string, string> = {
  [DEMO_IDS.lotte]: "Bewoners vroeg betrekken",
  [DEMO_IDS.ahmed]: "Data eerst opschonen",
  [DEMO_IDS.emma]: "Demo plannen met de wijk",
};

/**
 * The pilot's retro, from opening to its summary: opened, answered by the three writers
 * (each text followed by its question key) and closed. Only the pilot runs. Returns the cycle.
 */
export async function closedPilotRetro(
  deps: Deps,
  clock: { advance(ms: number): void },
  stopOthers: () => Promise<unknown>,
): Promise<CycleRecord> {
  const cycle = await openedPilotRetro(deps, clock, stopOthers);
  await answerAsDemoPeople(
    deps,
    cycle,
    Object.keys(THREE_WRITERS),
    (key, person) => `${THREE_WRITERS[person]} (${key})`,
    "4",
  );
  clock.advance(3 * 60_000);
  await advanceProject(deps, DEMO_IDS.pilot);
  return cycle;
}

/** The pilot's next retro, opened (only the pilot runs). Returns the cycle. */
export async function openedPilotRetro(
  deps: Deps,
  clock: { advance(ms: number): void },
  stopOthers: () => Promise<unknown>,
): Promise<CycleRecord> {
  await stopOthers();
  clock.advance(4 * 60_000);
  await advanceProject(deps, DEMO_IDS.pilot);
  return (await deps.stores.retro.latestCycle(DEMO_IDS.pilot)) as CycleRecord;
}
