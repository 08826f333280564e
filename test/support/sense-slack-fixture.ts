// The Slack side of the sense-making tests: real Bolt over signed HTTP against the fake Slack
// Web API, the demo organisation installed in one workspace with the pilot's channel and three
// of its people, and the pilot's retro answered (still open).
import type { Server } from "node:http";
import { expect } from "vitest";
import { conversationRef } from "../../adapters/slack/conversation-ref.ts";
import type { SlackAdapter } from "../../adapters/slack/create-slack-adapter.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import type { CycleRecord } from "../../src/ports/retro-store.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { type FakeSlackApi, startFakeSlackApi } from "./fake-slack-api.ts";
import { closeServer, listenApp } from "./listen-app.ts";
import { createRecordingAdapter } from "./recording-adapter.ts";
import { answeredPilotRetro } from "./sense-answers.ts";
import { FORM, interactiveBody, postSigned, slashCommandBody } from "./slack-requests.ts";
import { createTestSlackAdapter } from "./slack-test-adapter.ts";
import { eventually } from "./test-clock.ts";
import { createTestCore } from "./test-core.ts";
import { createTestDatabase, type TestDatabase } from "./test-database.ts";

export const SENSE_SLACK = { secret: "slack-signing-secret-for-tests", team: "T0SENSE", channel: "C0PILOT" };
const PEOPLE = [
  [DEMO_IDS.sanne, "USANNE", "Sanne de Vries"],
  [DEMO_IDS.lotte, "ULOTTE", "Lotte Jansen"],
  [DEMO_IDS.ahmed, "UAHMED", "Ahmed El Amrani"],
] as const;

export type SenseSlackFixture = Awaited<ReturnType<typeof startSenseSlack>>;

export async function startSenseSlack() {
  const { secret, team, channel } = SENSE_SLACK;
  const database: TestDatabase = await createTestDatabase();
  const fake: FakeSlackApi = await startFakeSlackApi({ id: team, name: "Gemeente Demo" });
  for (const [, userId, name] of PEOPLE) fake.users.set(userId, { id: userId, name, locale: "nl-NL" });
  fake.channels.set(channel, { members: PEOPLE.map(([, userId]) => userId), isMember: true });
  const slack: SlackAdapter = createTestSlackAdapter(fake, database.db, {
    signingSecret: secret,
    botIdentity: { botId: "BLEERLUS", botUserId: "UBOTLEERLUS" },
  });
  const core = createTestCore(database, [slack.adapter, createRecordingAdapter("web")]);
  await slack.adapter.start((inbound) => handleEvent(core.deps, inbound));
  const { server, base }: { server: Server; base: string } = await listenApp({ rawRouters: [slack.router] });
  await seedDemo(database.db, { now: core.clock.now(), fast: true });
  await database.prisma.install.create({
    data: { organisationId: DEMO_IDS.organisation, platform: "slack", tenantId: team },
  });
  for (const [personId, userId] of PEOPLE) {
    await database.prisma.chatIdentity.create({
      data: { personId, platform: "slack", tenantId: team, platformUserId: userId },
    });
  }
  await database.prisma.projectChannel.create({
    data: { projectId: DEMO_IDS.pilot, platform: "slack", conversationRef: conversationRef(team, channel) },
  });
  const cycle: CycleRecord = await answeredPilotRetro(core.deps, core.clock, () =>
    database.prisma.project.update({ where: { id: DEMO_IDS.implementation }, data: { active: false } }),
  );

  const state = { senseTs: "", seq: 0 };
  const post = (body: string) => postSigned(`${base}/slack/events`, body, FORM, { secret });
  const command = (userId: string, text: string) =>
    post(
      slashCommandBody({
        teamId: team,
        userId,
        channelId: channel,
        text,
        responseUrl: fake.responseUrl(`r-${++state.seq}`),
        triggerId: `trigger-${state.seq}`,
      }),
    );
  const clickBody = (userId: string, actionId: string, value: string) =>
    interactiveBody({
      type: "block_actions",
      team: { id: team },
      user: { id: userId, team_id: team },
      api_app_id: "ALEERLUS",
      trigger_id: `trigger-${++state.seq}`,
      response_url: fake.responseUrl(`r-${state.seq}`),
      container: { type: "message", message_ts: state.senseTs, channel_id: channel, is_ephemeral: false },
      channel: { id: channel },
      message: { ts: state.senseTs, type: "message", text: "groepen" },
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
  return {
    database,
    fake,
    core,
    base,
    cycle,
    state,
    post,
    command,
    clickBody,
    answerTo,
    updatesOfSense: () => fake.callsTo("chat.update").filter((call) => call.args.ts === state.senseTs),
    groups: () => core.deps.stores.sense.groups(cycle.id),
    async stop() {
      await slack.adapter.stop();
      await closeServer(server);
      await core.close();
      await fake.close();
      await database.drop();
    },
  };
}
