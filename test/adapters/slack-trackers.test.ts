// A lead connects Jira from Slack (real Bolt, signed requests, the fake Slack Web API): the
// token goes into a modal, never a message; an action is then sent with its button and
// its key comes back as a Slack link.
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SlackAdapter } from "../../adapters/slack/create-slack-adapter.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { type FakeJira, startFakeJira } from "../support/fake-jira.ts";
import { type FakeSlackApi, startFakeSlackApi } from "../support/fake-slack-api.ts";
import { closeServer, listenApp } from "../support/listen-app.ts";
import { FORM, interactiveBody, postSigned, slashCommandBody, viewSubmissionBody } from "../support/slack-requests.ts";
import { createTestSlackAdapter } from "../support/slack-test-adapter.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestCore } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const SECRET = "slack-signing-secret-for-tests";
const TEAM = "T0TRACKERS";
const SANNE = "USANNE";
const CHANNEL = "C0PILOT";

type View = {
  blocks: { type: string; block_id?: string; element?: Record<string, unknown> }[];
  private_metadata: string;
};

describe("trackers in Slack", () => {
  let database: TestDatabase;
  let fake: FakeSlackApi;
  let jira: FakeJira;
  let slack: SlackAdapter;
  let core: ReturnType<typeof createTestCore>;
  let server: Server;
  let base: string;
  let seq = 0;

  const post = (body: string) => postSigned(`${base}/slack/events`, body, FORM, { secret: SECRET });
  const command = (text: string, triggerId = `trigger-${seq + 1}`) =>
    post(
      slashCommandBody({
        teamId: TEAM,
        userId: SANNE,
        channelId: CHANNEL,
        text,
        responseUrl: fake.responseUrl(`cmd-${++seq}`),
        triggerId,
      }),
    );
  const responses = (n: number) => fake.callsTo("respond").filter((call) => call.args.responseUrlId === `cmd-${n}`);

  beforeAll(async () => {
    database = await createTestDatabase();
    [fake, jira] = await Promise.all([startFakeSlackApi({ id: TEAM, name: "Gemeente Demo" }), startFakeJira()]);
    fake.users.set(SANNE, { id: SANNE, name: "Sanne", locale: "nl-NL" });
    fake.channels.set(CHANNEL, { members: [SANNE], isMember: true });
    slack = createTestSlackAdapter(fake, database.db, {
      signingSecret: SECRET,
      botIdentity: { botId: "BLEERLUS", botUserId: "UBOTLEERLUS" },
    });
    core = createTestCore(database, [slack.adapter]);
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
    // The demo's pilot, in a Slack workspace: its lead and its channel there.
    await database.db.install.create({
      data: { organisationId: DEMO_IDS.organisation, platform: "slack", tenantId: TEAM },
    });
    await database.db.chatIdentity.create({
      data: { personId: DEMO_IDS.sanne, platform: "slack", tenantId: TEAM, platformUserId: SANNE },
    });
    await database.db.projectChannel.create({
      data: { projectId: DEMO_IDS.pilot, platform: "slack", conversationRef: `slack:${TEAM}:${CHANNEL}` },
    });
    await slack.adapter.start((inbound) => handleEvent(core.deps, inbound));
    ({ server, base } = await listenApp({ rawRouters: [slack.router] }));
  });

  afterAll(async () => {
    await slack?.adapter.stop();
    await closeServer(server);
    await core?.close();
    await Promise.all([fake?.close(), jira?.close()]);
    await database?.drop();
  });

  it("/leerlus koppeling opens a modal for the token; submitted, Jira is connected and the token is nowhere in Slack", async () => {
    expect((await command(`koppeling jira ${jira.base} LL`, "trigger-tracker")).status).toBe(200);
    const opened = await eventually(() => fake.callsTo("views.open")[0]);
    expect(opened.args.trigger_id).toBe("trigger-tracker");
    const view = opened.args.view as View;
    const inputs = view.blocks.filter((b) => b.type === "input");
    expect(inputs.map((b) => b.block_id)).toEqual(["kind", "url", "project", "email", "token", "auto"]);
    const token = inputs.find((b) => b.block_id === "token");
    expect(token?.element).toMatchObject({ type: "plain_text_input", action_id: "token" });
    expect(token?.element?.initial_value).toBeUndefined();

    const response = await post(
      viewSubmissionBody({
        teamId: TEAM,
        userId: SANNE,
        view,
        values: {
          kind: { kind: { type: "radio_buttons", selected_option: { value: "jira" } } },
          url: { url: { type: "plain_text_input", value: jira.base } },
          project: { project: { type: "plain_text_input", value: "LL" } },
          email: { email: { type: "plain_text_input", value: jira.cloud.email } },
          token: { token: { type: "plain_text_input", value: jira.cloud.apiToken } },
          auto: { auto: { type: "radio_buttons", selected_option: { value: "no" } } },
        },
      }),
    );
    expect(response.status).toBe(200);
    const stored = await eventually(() =>
      database.db.projectTracker.findUnique({ where: { projectId: DEMO_IDS.pilot } }),
    );
    expect(stored).toMatchObject({ kind: "jira", trackerProject: "LL" });
    await eventually(() => JSON.stringify(fake.calls).includes("Gekoppeld aan project LL in Jira"));
    expect(JSON.stringify(fake.calls)).not.toContain(jira.cloud.apiToken);
    // The recorded request held the token only until it was handled.
    await eventually(async () => {
      const rows = await database.db.$queryRaw<{ row: string }[]>`SELECT r::text AS row FROM "ReceivedEvent" r`;
      return rows.length > 0 && rows.every((r) => !r.row.includes(jira.cloud.apiToken));
    });
  });

  it("an action is sent with its button under /leerlus acties, and its key comes back as a Slack link", async () => {
    const action = await database.db.actionItem.create({
      data: { projectId: DEMO_IDS.pilot, text: "Bewoners uitnodigen voor de demo" },
    });
    expect((await command("acties")).status).toBe(200);
    const n = seq;
    const [listed] = await eventually(() => responses(n).length > 0 && responses(n));
    const button = JSON.stringify(listed?.args.blocks);
    expect(button).toContain('"action_id":"tracker.send"');
    expect(button).toContain(`"value":"${action.id}"`);

    await post(
      interactiveBody({
        type: "block_actions",
        team: { id: TEAM },
        user: { id: SANNE, team_id: TEAM },
        api_app_id: "ALEERLUS",
        trigger_id: "trigger-send",
        response_url: fake.responseUrl("send-1"),
        container: { type: "message", message_ts: "1700000300.000100", channel_id: CHANNEL, is_ephemeral: true },
        channel: { id: CHANNEL },
        actions: [{ type: "button", action_id: "tracker.send", block_id: "b1", value: action.id, action_ts: "1" }],
      }),
    );
    const sent = await eventually(() =>
      fake.calls.find((call) => JSON.stringify(call.args).includes(`<${jira.base}/browse/LL-1|LL-1>`)),
    );
    expect(JSON.stringify(sent.args)).toContain("Doorgezet naar Jira");
    expect(jira.issues).toHaveLength(1);
  });
});
