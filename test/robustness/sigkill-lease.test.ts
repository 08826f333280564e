import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { directRefFor } from "../../adapters/slack/conversation-ref.ts";
import { createOutboxRepository } from "../../src/persistence/outbox-repository.ts";
import { type FakeSlackApi, startFakeSlackApi } from "../support/fake-slack-api.ts";
import { insertRow, rowsWhere } from "../support/fixtures.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";
import { randomQueuePrefix, startWorkerProcess, type WorkerProcess } from "../support/worker-process.ts";

const TEAM = "TKILL";
const PEOPLE = ["U01", "U02", "U03"];

// A worker killed with SIGKILL while its sends are under way leaves their rows claimed. The
// delivery lease (30 s by default) is what hands them to another worker, not the reconciler:
// its interval is an hour here, longer than the test may run, and its first run (when the
// second worker starts) comes before the lease has lapsed.
describe("a worker killed with SIGKILL while sending", () => {
  let database: TestDatabase;
  let slack: FakeSlackApi;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    slack = await startFakeSlackApi({ id: TEAM, name: "Gemeente Kill" });
  });

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.kill()));
    await slack?.close();
    await database?.drop();
  });

  it("has its claimed deliveries sent by another worker after the lease, each once", async () => {
    const { db } = database;
    const organisation = await insertRow(db, "Organisation", { name: "Gemeente Kill" });
    await createOutboxRepository(db).enqueue(
      PEOPLE.map((userId) => ({
        key: `test:${userId}`,
        organisationId: organisation.id,
        address: { platform: "slack", conversationRef: directRefFor(TEAM, userId) },
        message: { fallback: `Hallo ${userId}`, blocks: [{ type: "paragraph", text: [`Hallo ${userId}`] }] },
      })),
    );
    // The first worker's posts reach Slack and hang there: killed mid-send, with its claims.
    slack.hold("chat.postMessage", PEOPLE.length);
    const queuePrefix = randomQueuePrefix();
    const start = () => {
      const worker = startWorkerProcess({
        databaseUrl: database.url,
        queuePrefix,
        env: {
          WORKER_QUEUES: "deliveries",
          RECONCILE_SECONDS: "3600",
          SLACK_BOT_TOKEN: "xoxb-test",
          SLACK_SIGNING_SECRET: "test-signing-secret",
          SLACK_API_URL: slack.apiUrl,
        },
      });
      workers.push(worker);
      return worker;
    };
    const first = start();
    await eventually(() => slack.callsTo("chat.postMessage").length === PEOPLE.length, 30_000);
    await first.kill();
    const rows = await rowsWhere(db, "OutboxMessage");
    expect(rows.map((row) => row.status)).toEqual(PEOPLE.map(() => "sending"));

    start();
    const sent = await eventually(async () => {
      const now = await rowsWhere(db, "OutboxMessage");
      return now.every((row) => row.status === "sent") && now;
    }, 120_000);
    expect(new Set(sent.map((row) => row.sentRef)).size).toBe(PEOPLE.length);
    // Each conversation got one post from the second worker (the first's hung unanswered).
    const posts = slack.callsTo("chat.postMessage").slice(PEOPLE.length);
    expect(posts.map((call) => call.args.channel).sort()).toEqual([...PEOPLE].sort());
  }, 150_000);
});
