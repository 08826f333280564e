import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { directRefFor } from "../../adapters/slack/conversation-ref.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { type FakeSlackApi, startFakeSlackApi } from "../support/fake-slack-api.ts";
import { insertRow } from "../support/fixtures.ts";
import { allSent } from "../support/outbox-wait.ts";
import { createTestSlackAdapter } from "../support/slack-test-adapter.ts";
import { createTestCore } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const TEAM = "T0OUTAGE";
const PEOPLE = ["U01", "U02", "U03", "U04", "U05", "U06"];

// Slack answering 429 and 5xx for a while: deliveries wait, then resume; nothing is lost
// and nothing is sent twice.
describe("Slack rate-limiting and failing during a fan-out", () => {
  let database: TestDatabase;
  let fake: FakeSlackApi;
  let core: ReturnType<typeof createTestCore>;
  let projectId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    fake = await startFakeSlackApi({ id: TEAM, name: "Gemeente Storing" });
    const slack = createTestSlackAdapter(fake, database.db);
    core = createTestCore(database, [slack.adapter]);
    const organisation = await insertRow(database.db, "Organisation", {
      name: "Gemeente Storing",
      quietHoursEnd: 0,
      quietHoursStart: 24 * 60,
      quietWeekends: false,
    });
    const people = [];
    for (const userId of PEOPLE) {
      people.push(
        await database.prisma.person.create({
          data: {
            organisationId: organisation.id,
            displayName: `Persoon ${userId}`,
            identities: {
              create: {
                platform: "slack",
                tenantId: TEAM,
                platformUserId: userId,
                conversationRef: directRefFor(TEAM, userId),
              },
            },
          },
        }),
      );
    }
    projectId = (
      await database.prisma.project.create({
        data: {
          organisationId: organisation.id,
          name: "Storingsproject",
          cadence: { kind: "minutes", every: 600 },
          createdAt: core.clock.now(),
          channels: { create: { platform: "slack", conversationRef: `slack:${TEAM}:C0OUTAGE` } },
          memberships: {
            create: people.map((person, i) => ({ personId: person.id, role: i === 0 ? "lead" : "member" })),
          },
        },
      })
    ).id;
  });

  afterAll(async () => {
    await core?.close();
    await fake?.close();
    await database?.drop();
  });

  it("delivers every prompt exactly once after the platform recovers", async () => {
    const failures = [
      { status: 429, retryAfter: 1 },
      { status: 502 },
      { status: 429, retryAfter: 1 },
      { status: 503 },
      { status: 500 },
      { status: 429, retryAfter: 2 },
    ] as const;
    for (const failure of failures) fake.failNext("chat.postMessage", failure);
    await advanceProject(core.deps, projectId);
    const expected = PEOPLE.length + 1; // the prompts and the channel's notice
    const outbox = await allSent(database.db, expected);
    const posts = fake.callsTo("chat.postMessage");
    // Every failure cost one call; every message went out once.
    expect(posts).toHaveLength(expected + failures.length);
    expect(new Set(outbox.map((row) => row.sentRef)).size).toBe(expected);
    const attempts = outbox.reduce((sum, row) => sum + row.attempts, 0);
    expect(attempts).toBeGreaterThan(expected);
  }, 90_000);
});
