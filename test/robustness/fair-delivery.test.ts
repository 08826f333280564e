import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { directRefFor } from "../../adapters/slack/conversation-ref.ts";
import { serializeReference } from "../../adapters/teams/conversation-ref.ts";
import { createTeamsAdapter } from "../../adapters/teams/create-teams-adapter.ts";
import type { Platform } from "../../src/domain/inbound-event.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { type FakeBotFramework, startFakeBotFramework } from "../support/fake-bot-framework.ts";
import { type FakeSlackApi, startFakeSlackApi } from "../support/fake-slack-api.ts";
import { insertRow, rowsWhere } from "../support/fixtures.ts";
import { createTestSlackAdapter } from "../support/slack-test-adapter.ts";
import { BOT_ID, teamsConfig } from "../support/teams-activities.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestCore } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const PEOPLE = 4;

// Fair delivery: a workspace or tenant that answers 429 or 5xx waits alone, for its own
// Retry-After or back-off, while every other one keeps receiving its messages; the waiting
// tenant's messages all arrive afterwards, each once.
describe("delivery per workspace and tenant", () => {
  let database: TestDatabase;
  let slack: FakeSlackApi;
  let teams: FakeBotFramework;
  let core: ReturnType<typeof createTestCore>;

  beforeAll(async () => {
    database = await createTestDatabase();
    slack = await startFakeSlackApi();
    teams = await startFakeBotFramework();
    core = createTestCore(database, [
      createTestSlackAdapter(slack, database.db).adapter,
      createTeamsAdapter(teamsConfig(teams, database.db)).adapter,
    ]);
  });

  afterAll(async () => {
    await core?.close();
    await slack?.close();
    await teams?.close();
    await database?.drop();
  });

  const teamsRef = (conversationId: string) =>
    serializeReference({
      channelId: "msteams",
      serviceUrl: teams.serviceUrl,
      conversation: { isGroup: false, name: "", id: conversationId, conversationType: "personal" },
      bot: { id: BOT_ID, name: "Leerlus" },
    });

  /** An organisation on one workspace or tenant (`tag`), with a project of PEOPLE members and a channel. */
  async function tenant(platform: Exclude<Platform, "web">, tag: string) {
    const { db } = database;
    const organisation = await insertRow(db, "Organisation", {
      name: `Gemeente ${tag}`,
      quietHoursEnd: 0,
      quietHoursStart: 24 * 60,
      quietWeekends: false,
    });
    const people = [];
    for (let i = 1; i <= PEOPLE; i++) {
      const userId = `U${tag}${i}`;
      const conversationRef = platform === "slack" ? directRefFor(`T${tag}`, userId) : teamsRef(`a:${tag}-dm-${i}`);
      const person = await insertRow(db, "Person", {
        organisationId: organisation.id,
        displayName: `Persoon ${tag}${i}`,
      });
      await insertRow(db, "ChatIdentity", {
        personId: person.id,
        platform,
        tenantId: `T${tag}`,
        platformUserId: userId,
        conversationRef,
      });
      people.push(person);
    }
    const channelRef = platform === "slack" ? `slack:T${tag}:C${tag}` : teamsRef(`19:${tag}-channel@thread.tacv2`);
    const project = await insertRow(db, "Project", {
      organisationId: organisation.id,
      name: `Project ${tag}`,
      cadence: { kind: "minutes", every: 600 },
      createdAt: core.clock.now(),
    });
    await insertRow(db, "ProjectChannel", { projectId: project.id, platform, conversationRef: channelRef });
    await db
      .insertInto("Membership")
      .values(
        people.map((person, i) => ({ projectId: project.id, personId: person.id, role: i === 0 ? "lead" : "member" })),
      )
      .execute();
    const outbox = () => rowsWhere(db, "OutboxMessage", { organisationId: organisation.id });
    return {
      open: () => advanceProject(core.deps, project.id),
      outbox,
      allSent: (timeoutMs = 30_000) =>
        eventually(async () => {
          const rows = await outbox();
          return rows.length === PEOPLE + 1 && rows.every((row) => row.status === "sent") && rows;
        }, timeoutMs),
    };
  }

  // Direct messages go to the channel conversations.open gives (the fake's D<user id>), team
  // messages to C<tag>: both carry the workspace's tag after their first letter.
  const slackChannelOf = (tag: string) => (args: Record<string, unknown>) =>
    String(args.channel).slice(1).startsWith(tag);

  it("a Slack workspace answering 429 does not hold back another workspace's messages", async () => {
    const limited = await tenant("slack", "LIM");
    const healthy = await tenant("slack", "OK");
    const isLimited = slackChannelOf("LIM");
    slack.failWhen("chat.postMessage", (args) => (isLimited(args) ? { status: 429, retryAfter: 3600 } : undefined));
    await limited.open();
    await eventually(() => slack.callsTo("chat.postMessage").some((call) => isLimited(call.args)));
    // Queued after the 429: they must not wait for the limited workspace's hour.
    await healthy.open();
    const sent = await healthy.allSent();
    expect(new Set(sent.map((row) => row.sentRef)).size).toBe(PEOPLE + 1);
    // The limited workspace waits its Retry-After: nothing more was sent to it, nothing was lost.
    const attemptsOnLimited = slack.callsTo("chat.postMessage").filter((call) => isLimited(call.args)).length;
    expect(attemptsOnLimited).toBeLessThanOrEqual(PEOPLE + 1);
    const waiting = await limited.outbox();
    expect(waiting.map((row) => row.status)).toEqual(Array(PEOPLE + 1).fill("pending"));
    slack.failWhen("chat.postMessage", undefined);
  }, 60_000);

  it("honours a Slack workspace's Retry-After, and its messages each arrive once afterwards", async () => {
    const limited = await tenant("slack", "RA");
    const isLimited = slackChannelOf("RA");
    let refusals = 0;
    slack.failWhen("chat.postMessage", (args) =>
      isLimited(args) && refusals++ === 0 ? { status: 429, retryAfter: 2 } : undefined,
    );
    await limited.open();
    const sent = await limited.allSent();
    slack.failWhen("chat.postMessage", undefined);
    expect(new Set(sent.map((row) => row.sentRef)).size).toBe(PEOPLE + 1);
    const calls = slack.callsTo("chat.postMessage").filter((call) => isLimited(call.args));
    const [refused, ...rest] = calls;
    // The refused message went again after the workspace's Retry-After, and only it went twice.
    const again = rest.filter((call) => call.args.channel === refused?.args.channel);
    expect(again).toHaveLength(1);
    expect((again[0]?.at ?? 0) - (refused?.at ?? 0)).toBeGreaterThanOrEqual(2_000);
    expect(calls).toHaveLength(PEOPLE + 2);
  }, 60_000);

  it("backs a Teams tenant off exponentially on 5xx without Retry-After, while another tenant flows", async () => {
    const failing = await tenant("teams", "BAD");
    const healthy = await tenant("teams", "GOOD");
    const isFailing = (conversationId: string) => conversationId.includes("BAD-");
    // The failing tenant's first four rounds of sends get 503 without Retry-After; a round is
    // the sends that arrive together after a wait.
    const rounds: number[] = [];
    teams.refuseWhen((conversationId) => {
      if (!isFailing(conversationId)) return undefined;
      const now = Date.now();
      if (rounds.length === 0 || now - (rounds.at(-1) as number) > 300) rounds.push(now);
      return rounds.length <= 4 ? { status: 503 } : undefined;
    });
    await failing.open();
    await eventually(() => rounds.length > 0);
    await healthy.open();
    await healthy.allSent();
    expect(rounds.length).toBeLessThanOrEqual(4); // the healthy tenant did not wait for the failing one
    const sent = await failing.allSent(60_000);
    teams.refuseWhen(undefined);
    expect(rounds).toHaveLength(5);
    // Each message arrived once.
    const delivered = teams.attempts.filter((attempt) => isFailing(attempt.conversationId) && attempt.status === 200);
    expect(new Set(delivered.map((attempt) => attempt.conversationId)).size).toBe(PEOPLE + 1);
    expect(delivered).toHaveLength(PEOPLE + 1);
    expect(new Set(sent.map((row) => row.sentRef)).size).toBe(PEOPLE + 1);
    // The waits grow: the fourth is at least twice the first (doubling, with jitter within each).
    const gaps = rounds.slice(1).map((at, i) => at - (rounds[i] as number));
    expect(gaps[3]).toBeGreaterThanOrEqual(2 * (gaps[0] as number));
  }, 90_000);
});
