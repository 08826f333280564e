import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSlackAdapter, type SlackAdapter } from "../../adapters/slack/create-slack-adapter.ts";
import { PROJECT_FLAGS } from "../../src/domain/project-flags.ts";
import { createInstallRepository } from "../../src/persistence/install-repository.ts";
import { createReceivedEventRepository } from "../../src/persistence/received-event-repository.ts";
import { createTokenCipher } from "../../src/persistence/token-cipher.ts";
import type { InstallStore } from "../../src/ports/install-store.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { homeViewFor } from "../../src/use-cases/home-view.ts";
import { callProblems } from "../support/block-kit-limits.ts";
import { type FakeSlackApi, startFakeSlackApi } from "../support/fake-slack-api.ts";
import { closeServer, listenApp } from "../support/listen-app.ts";
import {
  eventBody,
  FORM,
  interactiveBody,
  JSON_TYPE,
  postSigned,
  slashCommandBody,
  viewSubmissionBody,
} from "../support/slack-requests.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestCore, prompts } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const SECRET = "slack-signing-secret-for-tests";
const TEAM = "T0LEERLUS";
const LEAD = "UINSTALLER";
const MEMBER = "UMEMBER01";
const CHANNEL = "C0TEAM";

// Real Bolt over real HTTP with the real core on its own database and real Redis;
// the only stand-in is Slack's Web API.
describe("Slack adapter end to end", () => {
  let database: TestDatabase;
  let fake: FakeSlackApi;
  let slack: SlackAdapter;
  let core: ReturnType<typeof createTestCore>;
  let installs: InstallStore;
  let server: Server;
  let base: string;
  let cycleId: string;
  let promptTs: string;
  let eventSeq = 0;

  const post = (body: string, type: string, options: Partial<Parameters<typeof postSigned>[3]> = {}) =>
    postSigned(`${base}/slack/events`, body, type, { secret: SECRET, ...options });
  const command = (userId: string, text: string, channelId = CHANNEL) =>
    post(
      slashCommandBody({ teamId: TEAM, userId, channelId, text, responseUrl: fake.responseUrl(`cmd-${++eventSeq}`) }),
      FORM,
    );
  const event = (event: Record<string, unknown>, eventId = `Ev${++eventSeq}`, retryNum?: number) =>
    post(eventBody({ teamId: TEAM, eventId, event }), JSON_TYPE, retryNum ? { retryNum } : {});
  const respondedTo = (prefix: string) =>
    fake.callsTo("respond").filter((call) => String(call.args.responseUrlId).startsWith(prefix));

  beforeAll(async () => {
    database = await createTestDatabase();
    fake = await startFakeSlackApi({ id: TEAM, name: "Gemeente Testdam" });
    fake.users.set(LEAD, { id: LEAD, name: "Sanne", locale: "nl-NL" });
    fake.users.set(MEMBER, { id: MEMBER, name: "Emma", locale: "en-GB" });
    installs = createInstallRepository(database.db, createTokenCipher(randomBytes(32).toString("base64")));
    let deps: ReturnType<typeof createTestCore>["deps"] | undefined;
    slack = createSlackAdapter({
      signingSecret: SECRET,
      botToken: undefined,
      appToken: undefined,
      oauth: { clientId: "1234.5678", clientSecret: "client-secret", stateSecret: "state-secret-for-tests" },
      apiUrl: fake.apiUrl,
      publicUrl: "http://127.0.0.1",
      installs,
      receivedEvents: createReceivedEventRepository(database.db),
      homeView: async (who) => (deps ? homeViewFor(deps, { platform: "slack", ...who }) : null),
      text: (locale, key, vars) => prompts.t(locale, key, vars),
    });
    core = createTestCore(database, [slack.adapter]);
    deps = core.deps;
    await slack.adapter.start((inbound) => handleEvent(core.deps, inbound));
    ({ server, base } = await listenApp({ routers: [], rawRouters: [slack.router] }));
  });

  afterAll(async () => {
    await slack?.adapter.stop();
    await closeServer(server);
    await core?.close();
    await fake?.close();
    await database?.drop();
  });

  it("answers url_verification with the challenge", async () => {
    const response = await post(JSON.stringify({ type: "url_verification", token: "x", challenge: "c-42" }), JSON_TYPE);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ challenge: "c-42" });
  });

  it("refuses forged, stale and malformed requests and stores nothing for them", async () => {
    const body = eventBody({
      teamId: TEAM,
      eventId: "EvForged",
      event: { type: "app_home_opened", user: LEAD, tab: "home" },
    });
    const before = fake.calls.length;
    expect((await post(body, JSON_TYPE, { signature: `v0=${"0".repeat(64)}` })).status).toBe(401);
    expect((await post(body, JSON_TYPE, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 })).status).toBe(401);
    expect((await post("{not json", JSON_TYPE)).status).toBe(400);
    expect(await database.db.receivedEvent.count()).toBe(0);
    expect(await database.db.person.count()).toBe(0);
    expect(fake.calls.length).toBe(before);
  });

  it("installs through OAuth: the workspace becomes an organisation, tokens are stored encrypted", async () => {
    const start = await fetch(`${base}/slack/install`, { redirect: "manual" });
    expect(start.status).toBe(302);
    const state = new URL(start.headers.get("location") ?? "").searchParams.get("state") ?? "";
    const cookie = (start.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const done = await fetch(`${base}/slack/oauth_redirect?code=code-1&state=${encodeURIComponent(state)}`, {
      headers: { cookie },
    });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("Gemeente Testdam");
    const row = await database.db.install.findUniqueOrThrow({
      where: { platform_tenantId: { platform: "slack", tenantId: TEAM } },
    });
    expect(JSON.stringify(row.data)).not.toContain("xoxb-");
    expect(((await installs.find("slack", TEAM)) as { bot: { token: string } }).bot.token).toBe("xoxb-installed-token");
    const installer = await core.deps.stores.directory.personByIdentity("slack", TEAM, LEAD);
    expect(installer?.roles).toContain("admin");
    await eventually(() => fake.callsTo("chat.postMessage").find((call) => call.args.channel === LEAD));
  });

  it("registers a member who joins a channel, with their direct conversation", async () => {
    expect((await event({ type: "member_joined_channel", user: MEMBER, channel: CHANNEL, team: TEAM })).status).toBe(
      200,
    );
    const member = await eventually(
      async () => (await core.deps.stores.directory.personByIdentity("slack", TEAM, MEMBER)) ?? undefined,
    );
    expect(member.locale).toBe("en");
    expect(member.directs[0]?.conversationRef).toBe(`slack:${TEAM}:${MEMBER}:${MEMBER}`);
    // A project in that channel, led by the installer, for the retro below.
    const lead = await core.deps.stores.directory.personByIdentity("slack", TEAM, LEAD);
    await database.db.project.create({
      data: {
        organisationId: member.organisationId,
        name: "Slimme <!channel> straten",
        phase: "explore",
        cadence: { kind: "minutes", every: 60 },
        channels: { create: { platform: "slack", conversationRef: `slack:${TEAM}:${CHANNEL}` } },
        memberships: {
          create: [
            { personId: lead?.id as string, role: "lead" },
            { personId: member.id, role: "member" },
          ],
        },
      },
    });
  });

  it("answers /leerlus help ephemerally", async () => {
    const response = await command(MEMBER, "help");
    expect(response.status).toBe(200);
    const [reply] = await eventually(() => {
      const calls = respondedTo(`cmd-${eventSeq}`);
      return calls.length > 0 && calls;
    });
    expect(reply?.args.response_type).toBe("ephemeral");
    expect(JSON.stringify(reply?.args.blocks)).toContain(prompts.t("en", "help.title"));
  });

  it("starts a retro with /leerlus retro now; prompts arrive as DMs with an Answer button", async () => {
    expect((await command(LEAD, "retro nu")).status).toBe(200);
    await eventually(() => respondedTo(`cmd-${eventSeq}`).length > 0);
    const prompt = await eventually(() =>
      fake
        .callsTo("chat.postMessage")
        .find((call) => call.args.channel === MEMBER && JSON.stringify(call.args.blocks).includes("retro.open")),
    );
    const text = JSON.stringify(prompt.args.blocks);
    // The project name is bot copy built from what a person typed: escaped, never a ping.
    expect(text).toContain("&lt;!channel&gt;");
    expect(text).not.toContain("<!channel>");
    const button = (prompt.args.blocks as { accessory?: { action_id: string; value: string } }[]).find(
      (b) => b.accessory,
    )?.accessory;
    cycleId = button?.value as string;
    expect(button?.action_id).toBe("retro.open");
    promptTs = "1700000100.000100";
  });

  it("opens a modal with the cycle's questions when Answer is pressed", async () => {
    const response = await post(
      interactiveBody({
        type: "block_actions",
        team: { id: TEAM },
        user: { id: MEMBER, team_id: TEAM },
        api_app_id: "ALEERLUS",
        trigger_id: "trigger-1",
        response_url: fake.responseUrl("answer-1"),
        container: { type: "message", message_ts: promptTs, channel_id: `D${MEMBER.slice(1)}`, is_ephemeral: false },
        channel: { id: `D${MEMBER.slice(1)}` },
        message: { ts: promptTs, type: "message", text: "retro" },
        actions: [{ type: "button", action_id: "retro.open", block_id: "b1", value: cycleId, action_ts: "1" }],
      }),
      FORM,
    );
    expect(response.status).toBe(200);
    const opened = await eventually(() => fake.callsTo("views.open")[0]);
    expect(opened.args.trigger_id).toBe("trigger-1");
    const view = opened.args.view as { blocks: { type: string; block_id?: string }[]; private_metadata: string };
    const cycle = await core.deps.stores.retro.cycle(cycleId);
    const keys = cycle?.questions.en.map((question) => question.key) ?? [];
    // First time in this project: their discipline is asked once, before the questions.
    expect(view.blocks.filter((b) => b.type === "input").map((b) => b.block_id)).toEqual(["discipline", ...keys]);
  });

  const submission = (values: Record<string, Record<string, unknown>>) => {
    const view = fake.callsTo("views.open")[0]?.args.view as { blocks: unknown[]; private_metadata: string };
    return viewSubmissionBody({ teamId: TEAM, userId: MEMBER, view, values });
  };

  it("shows field errors in the modal and stores nothing", async () => {
    const cycle = await core.deps.stores.retro.cycle(cycleId);
    const values = Object.fromEntries(
      (cycle?.questions.en ?? []).map((q) => [q.key, { [q.key]: { type: "plain_text_input", value: "" } }]),
    );
    const response = await post(submission(values), FORM);
    expect(response.status).toBe(200);
    const body = JSON.parse(response.text) as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe("errors");
    const required = (cycle?.questions.en ?? []).filter((q) => q.required).map((q) => q.key);
    expect(Object.keys(body.errors).sort()).toEqual(required.sort());
    expect(await database.db.answer.count()).toBe(0);
  });

  it("stores valid answers and turns the prompt into a confirmation", async () => {
    const cycle = await core.deps.stores.retro.cycle(cycleId);
    const values = Object.fromEntries(
      (cycle?.questions.en ?? []).map((q) => [
        q.key,
        {
          [q.key]:
            q.kind === "scale"
              ? { type: "radio_buttons", selected_option: { value: "4" } }
              : { type: "plain_text_input", value: `Residents joined <!here> & <@U999> (${q.key})` },
        },
      ]),
    );
    const response = await post(submission(values), FORM);
    expect(response.status).toBe(200);
    expect(response.text).toBe("");
    await eventually(async () => (await database.db.answer.count()) === cycle?.questions.en.length);
    const update = await eventually(() => fake.callsTo("chat.update").find((call) => call.args.ts === promptTs));
    expect(update.args.channel).toBe(`D${MEMBER.slice(1)}`);
    expect(String(update.args.text)).toContain(prompts.t("en", "retro.answer.saved", { closes: "" }).slice(0, 20));
  });

  it("publishes the Home tab, and an event retried by Slack is handled once", async () => {
    const homeEvent = { type: "app_home_opened", user: LEAD, channel: "D0HOME", tab: "home" };
    expect((await event(homeEvent, "EvHome1")).status).toBe(200);
    expect((await event(homeEvent, "EvHome1", 1)).status).toBe(200);
    const published = await eventually(() => fake.callsTo("views.publish")[0]);
    expect(published.args.user_id).toBe(LEAD);
    expect(JSON.stringify(published.args.view)).toContain("Leerlus voor Sanne");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.callsTo("views.publish")).toHaveLength(1);
    expect(await database.db.receivedEvent.count({ where: { eventKey: "event:EvHome1" } })).toBe(1);
  });

  it("added to a channel: the inviter is welcomed and sets the channel up as a project in a modal", async () => {
    const NEW_CHANNEL = "C0NEWTEAM";
    await event({
      type: "member_joined_channel",
      user: "UBOTLEERLUS",
      inviter: LEAD,
      channel: NEW_CHANNEL,
      team: TEAM,
    });
    const welcome = await eventually(() =>
      fake.calls
        .filter((call) => call.method.startsWith("chat.post") && call.args.channel === NEW_CHANNEL)
        .find((call) => JSON.stringify(call.args.blocks).includes("setup.open")),
    );
    expect(JSON.stringify(welcome.args.blocks)).toContain(prompts.t("nl", "setup.button"));
    const opensBefore = fake.callsTo("views.open").length;
    await post(
      interactiveBody({
        type: "block_actions",
        team: { id: TEAM },
        user: { id: LEAD, team_id: TEAM },
        api_app_id: "ALEERLUS",
        trigger_id: "trigger-setup",
        response_url: fake.responseUrl("setup-1"),
        container: { type: "message", message_ts: "1700000200.000100", channel_id: NEW_CHANNEL, is_ephemeral: true },
        channel: { id: NEW_CHANNEL },
        actions: [{ type: "button", action_id: "setup.open", block_id: "b1", value: "channel", action_ts: "1" }],
      }),
      FORM,
    );
    const opened = await eventually(() => fake.callsTo("views.open")[opensBefore]);
    expect(opened.args.trigger_id).toBe("trigger-setup");
    const view = opened.args.view as { blocks: { type: string; block_id?: string }[]; private_metadata: string };
    expect(view.blocks.filter((b) => b.type === "input").map((b) => b.block_id)).toEqual([
      "name",
      "phase",
      "cadence",
      "lead",
      "manager",
      "adviser",
      ...PROJECT_FLAGS.map((flag) => `flag-${flag}`),
    ]);
    const lead = await core.deps.stores.directory.personByIdentity("slack", TEAM, LEAD);
    const response = await post(
      viewSubmissionBody({
        teamId: TEAM,
        userId: LEAD,
        view,
        viewId: "V9",
        values: {
          name: { name: { type: "plain_text_input", value: "Nieuwe wijkaanpak" } },
          phase: { phase: { type: "static_select", selected_option: { value: "explore" } } },
          cadence: { cadence: { type: "plain_text_input", value: "every 2 weeks thursday 15:00" } },
          lead: { lead: { type: "static_select", selected_option: { value: lead?.id } } },
          manager: { manager: { type: "static_select", selected_option: null } },
          adviser: { adviser: { type: "static_select", selected_option: null } },
        },
      }),
      FORM,
    );
    expect(response.status).toBe(200);
    const project = await eventually(() =>
      database.db.project.findFirst({ where: { name: "Nieuwe wijkaanpak" }, include: { channels: true } }),
    );
    expect(project?.channels[0]?.conversationRef).toBe(`slack:${TEAM}:${NEW_CHANNEL}`);
  });

  it("removes the installation's tokens on app_uninstalled and keeps the organisation", async () => {
    expect((await event({ type: "app_uninstalled" })).status).toBe(200);
    await eventually(async () => (await installs.find("slack", TEAM)) === null);
    expect(await installs.isRegistered("slack", TEAM)).toBe(true);
  });

  it("sent only Block Kit that Slack accepts", () => {
    expect(callProblems(fake.calls)).toEqual([]);
  });
});
