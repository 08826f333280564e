import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import { evaluateCheckpoints } from "../../src/use-cases/evaluate-checkpoints.ts";
import { portfolioFor } from "../../src/use-cases/portfolio.ts";
import { rowsWhere, updateWhere } from "../support/fixtures.ts";
import { createTestCore } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const MINUTE = 60 * 1000;
const DAY = 24 * 60 * MINUTE;

// The two figures a manager misread on the portfolio: the last retro's participation and
// whether a project is on schedule.
describe("the portfolio's figures", () => {
  let database: TestDatabase;
  let core: ReturnType<typeof createTestCore>;

  beforeAll(async () => {
    database = await createTestDatabase();
    core = createTestCore(database, []);
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
    await evaluateCheckpoints(core.deps, DEMO_IDS.organisation);
  });

  afterAll(async () => {
    await core?.close();
    await database?.drop();
  });

  async function karinsRow(projectId: string) {
    const karin = await core.deps.stores.directory.person(DEMO_IDS.karin);
    if (!karin) throw new Error("demo manager missing");
    const portfolio = await portfolioFor(core.deps, karin);
    const row = portfolio?.rows.find((candidate) => candidate.projectId === projectId);
    if (!row) throw new Error("project missing from the portfolio");
    return row;
  }

  async function cycle(sequence: number, status: "open" | "closed", openedAt: Date, answered: number) {
    const people = [DEMO_IDS.sanne, DEMO_IDS.ahmed, DEMO_IDS.lotte, DEMO_IDS.emma];
    await database.prisma.retroCycle.create({
      data: {
        projectId: DEMO_IDS.pilot,
        sequence,
        format: "start-stop-continue",
        questions: [],
        status,
        opensAt: openedAt,
        remindsAt: new Date(openedAt.getTime() + DAY),
        closesAt: new Date(openedAt.getTime() + 2 * DAY),
        closedAt: status === "closed" ? new Date(openedAt.getTime() + 2 * DAY) : null,
        createdAt: openedAt,
        deliveries: {
          create: people.map((personId, index) => ({
            personId,
            createdAt: openedAt,
            answeredAt: index < answered ? new Date(openedAt.getTime() + MINUTE) : null,
          })),
        },
      },
    });
  }

  it("counts the last closed retro, not one opened seconds ago", async () => {
    const now = core.clock.now();
    await cycle(1, "closed", new Date(now.getTime() - 14 * DAY), 3);
    await cycle(2, "open", new Date(now.getTime() - 5_000), 0);
    const row = await karinsRow(DEMO_IDS.pilot);
    expect(row.lastRetro).toEqual({ answered: 3, invited: 4, shown: true });
  });

  it("counts must-meet checkpoints past their due date, so the project is not on schedule", async () => {
    const phase = { projectId: DEMO_IDS.implementation, phase: "implement" };
    await updateWhere(database.db, "Checkpoint", phase, { dueAt: new Date(core.clock.now().getTime() + 30 * DAY) });
    const before = await karinsRow(DEMO_IDS.implementation);
    expect(before.overdueMustMeet).toBe(0);
    const open = (await rowsWhere(database.db, "Checkpoint", { ...phase, mustMeet: true, status: "open" })).slice(0, 3);
    expect(open).toHaveLength(3);
    await database.db
      .updateTable("Checkpoint")
      .set({ dueAt: new Date(core.clock.now().getTime() - DAY) })
      .where(
        "id",
        "in",
        open.map((checkpoint) => checkpoint.id),
      )
      .execute();
    const after = await karinsRow(DEMO_IDS.implementation);
    expect(after.overdueMustMeet).toBe(3);
    expect(after.stuck).toBe(false);
  });
});
