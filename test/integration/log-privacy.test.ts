import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import type { CycleRecord } from "../../src/ports/retro-store.ts";
import { createLogger } from "../../src/runtime/logger.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { evaluateCheckpoints } from "../../src/use-cases/evaluate-checkpoints.ts";
import { sendDigest } from "../../src/use-cases/send-digest.ts";
import { answerAsDemoPeople } from "../support/demo-answers.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestCore } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const SECRET_ANSWER = "Vertrouwelijk antwoord over wethouder Pietersen";

// A full cycle with logging at its most verbose: nothing personal may reach the logs.
describe("logs of a full cycle", () => {
  let database: TestDatabase;
  let core: ReturnType<typeof createTestCore>;
  const lines: string[] = [];
  const adapter = createRecordingAdapter("web");

  beforeAll(async () => {
    database = await createTestDatabase();
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    core = createTestCore(database, [adapter], undefined, createLogger("trace", sink));
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
  });

  afterAll(async () => {
    await core?.close();
    await database?.drop();
  });

  it("contain no names, chat ids or answers", async () => {
    await advanceProject(core.deps, DEMO_IDS.pilot);
    const cycle = (await core.deps.stores.retro.latestCycle(DEMO_IDS.pilot)) as CycleRecord;
    await answerAsDemoPeople(
      core.deps,
      cycle,
      [DEMO_IDS.sanne, DEMO_IDS.ahmed, DEMO_IDS.lotte, DEMO_IDS.emma],
      () => SECRET_ANSWER,
      "2",
    );
    await advanceProject(core.deps, DEMO_IDS.pilot);
    await evaluateCheckpoints(core.deps, DEMO_IDS.organisation);
    await sendDigest(core.deps, DEMO_IDS.organisation);
    await eventually(
      async () => (await database.prisma.outboxMessage.count({ where: { status: { not: "sent" } } })) === 0,
    );
    // Make the workers log too: a job whose payload carries a name where an id belongs.
    await core.ticks.add("retro", { projectId: "Lotte Jansen" }, { attempts: 1 });
    await eventually(() => lines.some((line) => line.includes("job failed")));
    const log = lines.join("");
    expect(adapter.sent.length).toBeGreaterThan(5);
    for (const personal of [
      "Sanne",
      "Ahmed",
      "Lotte",
      "Emma",
      "Karin",
      "Joost",
      "Pietersen",
      "Vertrouwelijk",
      "web:dm:",
    ]) {
      expect(log).not.toContain(personal);
    }
  });
});
