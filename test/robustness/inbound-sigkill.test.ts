// A Leerlus process killed with SIGKILL right after it acknowledged a Slack event, a Slack
// slash command or a Teams activity, before the core stored what the person asked: after a
// restart the request is handled, exactly once. The person's request is `away until …`,
// which stores one absence each time it is handled, so "lost" and "twice" are both visible.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { directRefFor } from "../../adapters/slack/conversation-ref.ts";
import { type FakeBotFramework, startFakeBotFramework } from "../support/fake-bot-framework.ts";
import { type FakeSlackApi, startFakeSlackApi } from "../support/fake-slack-api.ts";
import { countWhere, insertRow } from "../support/fixtures.ts";
import { CHILD_SLACK_SECRET, CHILD_TEAMS_APP_ID } from "../support/inbound-child-settings.ts";
import { eventBody, FORM, JSON_TYPE, postSigned, slashCommandBody } from "../support/slack-requests.ts";
import { messageActivity, personalConversation, postActivity, type TeamsPerson } from "../support/teams-activities.ts";
import { eventually } from "../support/test-clock.ts";
import { REDIS_URL } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";
import { randomQueuePrefix } from "../support/worker-process.ts";

const root = path.resolve(import.meta.dirname, "../..");
const TEAM = "T0CRASH";
const TENANT = "tenant-crash";

type Child = { child: ChildProcess; port: number; output(): string; kill(): Promise<void> };

describe("a process killed right after acknowledging a request", () => {
  let database: TestDatabase;
  let slackApi: FakeSlackApi;
  let botFramework: FakeBotFramework;
  const children: Child[] = [];
  const queuePrefix = randomQueuePrefix();
  const people: { slackUser: string; aad: string; personId: string }[] = [];

  async function startChild(env: Record<string, string> = {}): Promise<Child> {
    const { DATABASE_URL: _database, ...inherited } = process.env;
    const child = spawn(process.execPath, ["--import", "tsx", "test/support/inbound-child.ts"], {
      cwd: root,
      env: {
        ...inherited,
        DATABASE_URL: database.url,
        REDIS_URL,
        QUEUE_PREFIX: queuePrefix,
        SLACK_API_URL: slackApi.apiUrl,
        TEAMS_SERVICE_URL: botFramework.serviceUrl,
        TEAMS_ENDPOINTS: JSON.stringify(botFramework.endpoints),
        // Claims of a killed process lapse after this (the default, 30 s, would only slow the test).
        INBOUND_LEASE_MS: "1500",
        INBOUND_POLL_MS: "200",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr?.on("data", (chunk) => {
      output += chunk;
    });
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const port = await eventually(() => Number(/LISTENING (\d+)/.exec(output)?.[1] ?? 0), 30_000).catch((error) => {
      throw new Error(`${error}\n${output}`);
    });
    const started: Child = {
      child,
      port,
      output: () => output,
      async kill() {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
        await exited;
      },
    };
    children.push(started);
    return started;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    slackApi = await startFakeSlackApi({ id: TEAM, name: "Gemeente Crash" });
    botFramework = await startFakeBotFramework();
    const organisation = await insertRow(database.db, "Organisation", { name: "Gemeente Crash" });
    await insertRow(database.db, "Install", { organisationId: organisation.id, platform: "slack", tenantId: TEAM });
    await insertRow(database.db, "Install", { organisationId: organisation.id, platform: "teams", tenantId: TENANT });
    for (let i = 1; i <= 4; i++) {
      const slackUser = `UCRASH${i}`;
      const aad = `aad-crash-${i}`;
      slackApi.users.set(slackUser, { id: slackUser, name: `Persoon ${i}`, locale: "nl-NL" });
      const person = await database.prisma.person.create({
        data: {
          organisationId: organisation.id,
          displayName: `Persoon ${i}`,
          identities: {
            create: [
              {
                platform: "slack",
                tenantId: TEAM,
                platformUserId: slackUser,
                conversationRef: directRefFor(TEAM, slackUser),
              },
              { platform: "teams", tenantId: TENANT, platformUserId: aad },
            ],
          },
        },
      });
      people.push({ slackUser, aad, personId: person.id });
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all(children.map((child) => child.kill()));
    await slackApi?.close();
    await botFramework?.close();
    await database?.drop();
  });

  const awayUntil = () => {
    const until = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString().slice(0, 10);
    return `away until ${until}`;
  };
  const absences = (personId: string) => countWhere(database.db, "Absence", { personId });
  const slackUrl = (child: Child) => `http://127.0.0.1:${child.port}/slack/events`;
  const dmEvent = (userId: string, eventId: string) =>
    eventBody({
      teamId: TEAM,
      eventId,
      event: {
        type: "message",
        channel_type: "im",
        channel: `D${userId.slice(1)}`,
        user: userId,
        text: awayUntil(),
        ts: `${Date.now() / 1000}`,
      },
    });

  /** Kills `first` once its core was asked, starts another process and waits for one absence. */
  async function killAndRecover(first: Child, personId: string, after?: (second: Child) => Promise<void>) {
    await eventually(() => first.output().includes("CORE_CALLED"), 20_000);
    await first.kill();
    expect(await absences(personId)).toBe(0); // the kill really came before anything was stored
    const second = await startChild();
    await after?.(second);
    await eventually(async () => (await absences(personId)) >= 1, 20_000).catch(async (error) => {
      throw new Error(`${error}: ${await absences(personId)} absences\n${second.output()}`);
    });
    // Handled and finished: nothing is left to handle again, and the absence stays single.
    await eventually(
      async () => (await database.prisma.receivedEvent.count({ where: { status: { not: "done" } } })) === 0,
      20_000,
    );
    expect(await absences(personId)).toBe(1);
    await second.kill();
  }

  it("stores a Slack direct message's request once after a restart", async () => {
    const [person] = people;
    if (!person) throw new Error("no person");
    const first = await startChild({ HANG_ON_CORE: "1" });
    const ack = await postSigned(slackUrl(first), dmEvent(person.slackUser, "EvCrashDm"), JSON_TYPE, {
      secret: CHILD_SLACK_SECRET,
    });
    expect(ack.status).toBe(200);
    await killAndRecover(first, person.personId);
  }, 90_000);

  it("stores a Slack slash command's request once after a restart", async () => {
    const person = people[1];
    if (!person) throw new Error("no person");
    const first = await startChild({ HANG_ON_CORE: "1" });
    const body = slashCommandBody({
      teamId: TEAM,
      userId: person.slackUser,
      channelId: `D${person.slackUser.slice(1)}`,
      text: awayUntil(),
      responseUrl: slackApi.responseUrl("crash-command"),
    });
    const ack = await postSigned(slackUrl(first), body, FORM, { secret: CHILD_SLACK_SECRET });
    expect(ack.status).toBe(200);
    await killAndRecover(first, person.personId);
    // The answer still reaches the person, through the command's response_url.
    expect(slackApi.callsTo("respond").some((call) => call.args.responseUrlId === "crash-command")).toBe(true);
  }, 90_000);

  it("handles a Slack event that Slack delivers again after the crash once", async () => {
    const person = people[2];
    if (!person) throw new Error("no person");
    const first = await startChild({ HANG_ON_CORE: "1" });
    const body = dmEvent(person.slackUser, "EvCrashRetried");
    expect((await postSigned(slackUrl(first), body, JSON_TYPE, { secret: CHILD_SLACK_SECRET })).status).toBe(200);
    await killAndRecover(first, person.personId, async (second) => {
      // Slack's retries: new requests (new signatures) with the same event id.
      for (const retryNum of [1, 2]) {
        const retried = await postSigned(slackUrl(second), body, JSON_TYPE, { secret: CHILD_SLACK_SECRET, retryNum });
        expect(retried.status).toBe(200);
      }
    });
  }, 90_000);

  it("stores a Teams message's request once after a restart", async () => {
    const person = people[3];
    if (!person) throw new Error("no person");
    const teamsPerson: TeamsPerson = { aadObjectId: person.aad, name: "Persoon 4", tenantId: TENANT };
    const first = await startChild({ HANG_ON_CORE: "1" });
    const activity = messageActivity(botFramework, teamsPerson, personalConversation(teamsPerson), awayUntil());
    const token = botFramework.token({ appId: CHILD_TEAMS_APP_ID });
    const posting = postActivity(`http://127.0.0.1:${first.port}`, activity, token).then(
      (response) => response.status,
      (error: Error) => error.message,
    );
    await killAndRecover(first, person.personId, async () => {
      // Acknowledged before the core ran: this process's core never answered.
      expect(await posting).toBe(200);
    });
    // The reply reaches the person's chat, sent by the process that finished the work.
    await eventually(() =>
      botFramework.calls.some((call) => call.conversationId === personalConversation(teamsPerson).id),
    );
  }, 90_000);
});
