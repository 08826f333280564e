// Making sense together in Slack, through real Bolt over signed HTTP and the fake Slack Web
// API: the lead groups the answered retro with /leerlus, a member may not merge, the lead's
// merge rewrites the channel message with chat.update, a vote click replayed counts once and
// its "votes left" is ephemeral, and closing the voting shows the ranked totals and proposes
// the top groups as team actions.
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conversationRef, parseSentRef } from "../../adapters/slack/conversation-ref.ts";
import type { SlackAdapter } from "../../adapters/slack/create-slack-adapter.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import type { CycleRecord } from "../../src/ports/retro-store.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { themeLabel } from "../../src/use-cases/messages/sense-message.ts";
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

describe("making sense together in Slack", () => {
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
  });

  afterAll(async () => {
    await slack?.adapter.stop();
    await closeServer(server);
    await core?.close();
    await fake?.close();
    await database?.drop();
  });

  it("/leerlus retro groeperen by the lead posts the groups to the channel, each with a Vote button", async () => {
    expect((await command("USANNE", "retro groeperen")).status).toBe(200);
    expect(await answerTo(seq)).toContain(nl("sense.started").slice(0, 40));
    const row = await eventually(async () => {
      const found = await database.prisma.outboxMessage.findFirst({ where: { key: `sense:${cycle.id}:slack` } });
      return found?.sentRef ? found : undefined;
    });
    senseTs = parseSentRef(row.sentRef as string)?.ts ?? "";
    const posted = fake.callsTo("chat.postMessage").find((call) => JSON.stringify(call.args).includes("sense.vote"));
    const text = JSON.stringify(posted?.args.blocks);
    expect(text).toContain("Gebruikers en inwoners betrekken");
    expect(text).not.toContain("Lotte");
    expect(callProblems(fake.callsTo("chat.postMessage"))).toEqual([]);
  });

  it("a member's merge is refused and changes nothing; the lead's merge rewrites the message in place", async () => {
    const before = await groups();
    await command("UAHMED", "samenvoegen 2 1");
    expect(await answerTo(seq)).toContain(nl("errors.lead-only").slice(0, 30));
    expect(await groups()).toHaveLength(before.length);
    expect(updatesOfSense()).toHaveLength(0);

    await command("USANNE", "samenvoegen 2 1");
    expect(await answerTo(seq)).toContain(nl("sense.merged", { from: 2, into: 1 }).slice(0, 30));
    const update = await eventually(() => updatesOfSense()[0]);
    expect(JSON.stringify(update.args.blocks)).not.toContain(`"value":"${before[1]?.id}"`);
    expect(await groups()).toHaveLength(before.length - 1);
  });

  it("a vote click replayed counts once; the voter alone hears how many votes are left", async () => {
    const [first] = await groups();
    const body = clickBody("ULOTTE", "sense.vote", first?.id ?? "");
    const n = seq;
    expect((await post(body)).status).toBe(200);
    expect(await answerTo(n)).toContain(nl("sense.voted", { count: 2 }).slice(0, 40));
    // Slack delivering the same click again.
    expect((await postSigned(`${base}/slack/events`, body, FORM, { secret: SECRET, retryNum: 1 })).status).toBe(200);
    // A second, separate click on the same group.
    await post(clickBody("ULOTTE", "sense.vote", first?.id ?? ""));
    expect(await answerTo(seq)).toContain(nl("sense.already", { count: 2 }).slice(0, 40));
    expect((await groups())[0]?.votes).toBe(1);
    // The vote is nobody else's business: the channel message is not touched by it.
    expect(JSON.stringify(updatesOfSense().at(-1)?.args.blocks)).not.toContain("— 1");
  });

  it("closing the voting shows the ranked totals and proposes the top groups as team actions", async () => {
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
    await command("USANNE", "stemming sluiten");
    expect(await answerTo(seq)).toContain(nl("sense.closed-now").slice(0, 30));
    const update = await eventually(() => updatesOfSense()[before]);
    const text = JSON.stringify(update.args.blocks);
    expect(text).toContain(nl("sense.result.voters", { count: 3 }).slice(0, 20));
    expect(text).toContain(nl("sense.result.votes", { count: 3 }));
    expect(text).not.toContain("sense.vote");
    const actions = await database.prisma.actionItem.findMany({ where: { cycleId: cycle.id } });
    expect(actions).toHaveLength(3);
    // Each proposal reads as its group's theme and the answer that stands for it best.
    const [top] = all;
    expect(
      actions.some((action) => action.text.startsWith(`${themeLabel(prompts, "nl", top?.themeId ?? null)}: `)),
    ).toBe(true);
  });
});
