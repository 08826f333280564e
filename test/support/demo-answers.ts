import { DEMO_IDS } from "../../src/persistence/demo-seed.ts";
import type { Db } from "../../src/persistence/prisma-client.ts";
import type { CycleRecord } from "../../src/ports/store.ts";
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
  const delivery = await db.delivery.findFirstOrThrow({ where: { cycleId, personId } });
  const rows = await db.answer.findMany({ where: { cycleId, responseKey: responseKeyFor(secret, delivery.id) } });
  return Object.fromEntries(rows.map((row) => [row.questionKey, row.text ?? String(row.score)]));
}
