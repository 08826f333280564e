// Live sense-making in Slack, through real Bolt over signed HTTP and the fake Slack Web API:
// `/leerlus retro live 5` by the lead (a member may not) posts the groups with a countdown,
// the project's tick closes the voting at its time on the test clock, and the lead's *Volgende*
// walks the channel message through the top groups with chat.update; a replayed click moves once.
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conversationRef, parseSentRef } from "../../adapters/slack/conversation-ref.ts";
import type { SlackAdapter } from "../../adapters/slack/create-slack-adapter.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import type { CycleRecord } from "../../src/ports/retro-store.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { callProblems } from "../support/block-kit-limits.ts";
import { type FakeSlackApi, startFakeSlackApi } from "../support/fake-slack-api.ts";
import { closeServer, listenApp } from "../support/listen-app.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { answeredPilotRetro } from "../support/sense-answers.ts";
import { FORM, interactiveBody, postSigned, slashCommandBody } from "../support/slack-requests.ts";
import { createTestSlackAdapter } from "../support/slack-test-adapter.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestCore, prompts } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const SECRET = "slack-signing-secret-for-tests";
const TEAM = "T0SENSE";
const CHANNEL = "C0PILOT";
const nl = (key: string, vars?: Record<string, string | number>) => prompts.t("nl", key, vars);
const PEOPLE = [
  [DEMO_IDS.sanne, "USANNE", "Sanne de Vries"],
  [DEMO_IDS.lotte, "ULOTTE", "Lotte Jansen"],
  [DEMO_IDS.ahmed, "UAHMED", "Ahmed El Amrani"],
] as const;

describe("live sense-making in Slack", () => {
  let database: TestDatabase;
  let fake: FakeSlackApi;
  let slack: SlackAdapter;
  let core: ReturnType<typeof createTestCore>;
  let server: Server;
  let base: string;
  let cycle: CycleRecord;
  let senseTs = "";
  let seq = 0;

  const post = (body: string) => postSigned(`${base}/slack/events`, body, FORM, { secret: SECRET });
  const command = (userId: string, text: string) =>
    post(
      slashCommandBody({
        teamId: TEAM,
        userId,
        channelId: CHANNEL,
        text,
        responseUrl: fake.responseUrl(`r-${++seq}`),
        triggerId: `trigger-${seq}`,
      }),
    );
  const clickBody = (userId: string, actionId: string, value: string) =>
    interactiveBody({
      type: "block_actions",
      team: { id: TEAM },
      user: { id: userId, team_id: TEAM },
      api_app_id: "ALEERLUS",
      trigger_id: `trigger-${++seq}`,
      response_url: fake.responseUrl(`r-${seq}`),
      container: { type: "message", message_ts: senseTs, channel_id: CHANNEL, is_ephemeral: false },
      channel: { id: CHANNEL },
      message: { ts: senseTs, type: "message", text: "groepen" },
      actions: [{ type: "button", action_id: actionId, block_id: "b1", value, action_ts: "1" }],
    });
  /** What the person alone saw in answer to request `n` (an ephemeral response). */
  const answerTo = async (n: number) => {
    const [call] = await eventually(() => {
      const calls = fake.callsTo("respond").filter((c) => c.args.responseUrlId === `r-${n}`);
      return calls.length > 0 && calls;
    });
    expect(call?.args.response_type).toBe("ephemeral");
    return JSON.stringify(call?.args.blocks ?? call?.args.text);
  };
  const updatesOfSense = () => fake.callsTo("chat.update").filter((call) => call.args.ts === senseTs);
  const groups = () => core.deps.stores.sense.groups(cycle.id);
  /** The value of the Next button in the blocks of a chat.update, if any. */
  const nextIn = (blocks: unknown): string | undefined =>
    /"action_id":"sense\.next".*?"value":"([^"]+)"/.exec(JSON.stringify(blocks))?.[1];

  beforeAll(async () => {
    database = await createTestDatabase();
    fake = await startFakeSlackApi({ id: TEAM, name: "Gemeente Demo" });
    for (const [, userId, name] of PEOPLE) fake.users.set(userId, { id: userId, name, locale: "nl-NL" });
    fake.channels.set(CHANNEL, { members: PEOPLE.map(([, userId]) => userId), isMember: true });
    slack = createTestSlackAdapter(fake, database.db, {
      signingSecret: SECRET,
      botIdentity: { botId: "BLEERLUS", botUserId: "UBOTLEERLUS" },
    });
    core = createTestCore(database, [slack.adapter, createRecordingAdapter("web")]);
    await slack.adapter.start((inbound) => handleEvent(core.deps, inbound));
    ({ server, base } = await listenApp({ rawRouters: [slack.router] }));
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
    await database.prisma.install.create({
      data: { organisationId: DEMO_IDS.organisation, platform: "slack", tenantId: TEAM },
    });
    for (const [personId, userId] of PEOPLE) {
      await database.prisma.chatIdentity.create({
        data: { personId, platform: "slack", tenantId: TEAM, platformUserId: userId },
      });
    }
    await database.prisma.projectChannel.create({
      data: { projectId: DEMO_IDS.pilot, platform: "slack", conversationRef: conversationRef(TEAM, CHANNEL) },
    });
    cycle = await answeredPilotRetro(core.deps, core.clock, () =>
      database.prisma.project.update({ where: { id: DEMO_IDS.implementation }, data: { active: false } }),
    );
    // The fast demo opens a retro every three minutes; this meeting needs longer before the next one.
    await database.prisma.project.update({
      where: { id: DEMO_IDS.pilot },
      data: { cadence: { kind: "minutes", every: 600 } },
    });
  });

  afterAll(async () => {
    await slack?.adapter.stop();
    await closeServer(server);
    await core?.close();
    await fake?.close();
    await database?.drop();
  });

  it("/leerlus retro live 5 by the lead posts the groups with a countdown; a member may not", async () => {
    await command("ULOTTE", "retro live");
    expect(await answerTo(seq)).toContain(nl("errors.lead-only").slice(0, 30));
    expect((await command("USANNE", "retro live 5")).status).toBe(200);
    expect(await answerTo(seq)).toContain(nl("sense.live.started", { count: 5 }).slice(0, 40));
    const row = await eventually(async () => {
      const found = await database.prisma.outboxMessage.findFirst({ where: { key: `sense:${cycle.id}:slack` } });
      return found?.sentRef ? found : undefined;
    });
    senseTs = parseSentRef(row.sentRef as string)?.ts ?? "";
    const [stored] = await core.deps.stores.outbox.withKeyPrefixes(DEMO_IDS.organisation, [`sense:${cycle.id}:slack`]);
    expect(JSON.stringify(stored?.message)).toContain("(nog 5 min)");
    expect(callProblems(fake.callsTo("chat.postMessage"))).toEqual([]);
  });

  it("the voting closes at its time; Volgende walks the top groups, once per click", async () => {
    const all = await groups();
    for (const [userId, picks] of [
      ["USANNE", [0, 1]],
      ["UAHMED", [0, 2]],
      ["ULOTTE", [1]],
    ] as const) {
      for (const pick of picks) {
        await post(clickBody(userId, "sense.vote", all[pick]?.id ?? ""));
        await answerTo(seq);
      }
    }
    const before = updatesOfSense().length;
    core.clock.advance(5 * 60_000);
    await advanceProject(core.deps, DEMO_IDS.pilot);
    const closed = await eventually(() =>
      updatesOfSense()
        .slice(before)
        .find((call) => JSON.stringify(call.args.blocks).includes("sense.next")),
    );
    expect(JSON.stringify(closed.args.blocks)).toContain(nl("sense.live.walk", { index: 1, total: 3 }));
    const value = nextIn(closed.args.blocks) ?? "";
    expect(value).not.toBe("");

    await post(clickBody("ULOTTE", "sense.next", value));
    expect(await answerTo(seq)).toContain(nl("errors.lead-only").slice(0, 30));

    const body = clickBody("USANNE", "sense.next", value);
    const n = seq;
    await post(body);
    expect(await answerTo(n)).toContain(nl("sense.live.shown", { index: 2, total: 3 }).slice(0, 20));
    const second = await eventually(() =>
      updatesOfSense().find((call) =>
        JSON.stringify(call.args.blocks).includes(nl("sense.live.walk", { index: 2, total: 3 })),
      ),
    );
    // Slack delivering the same click again: the walk-through stays at group 2.
    expect((await postSigned(`${base}/slack/events`, body, FORM, { secret: SECRET, retryNum: 1 })).status).toBe(200);
    await post(clickBody("USANNE", "sense.next", value));
    expect(await answerTo(seq)).toContain(nl("sense.live.moved-already").slice(0, 20));
    expect((await core.deps.stores.sense.session(cycle.id))?.liveStep).toBe(1);
    expect(nextIn(second.args.blocks)).toBe(`${cycle.id}:1`);
    expect(await database.prisma.actionItem.count({ where: { cycleId: cycle.id } })).toBe(3);
  });
});
