import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { escapeMarkdown, renderCards } from "../../adapters/teams/render-card.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { adaptiveCardProblems, cardText, findByType } from "../support/adaptive-card-check.ts";
import { callProblems } from "../support/block-kit-limits.ts";
import type { FakeBotFramework } from "../support/fake-bot-framework.ts";
import type { FakeSlackApi } from "../support/fake-slack-api.ts";
import { firstWhere, rowsWhere } from "../support/fixtures.ts";
import {
  SLACK_TEST_SECRET,
  type SlackOnDemo,
  startSlackOnDemo,
  startTeamsApp,
  type TeamsApp,
} from "../support/platform-apps.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { FORM, postSigned, slashCommandBody, viewSubmissionBody } from "../support/slack-requests.ts";
import {
  APP_ID,
  executeActivity,
  installActivity,
  messageActivity,
  personalConversation,
  postActivity,
  type TeamsPerson,
  type TeamsServer,
} from "../support/teams-activities.ts";
import { postToTeams } from "../support/teams-setup.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestCore, prompts } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const nl = (key: string) => prompts.t("nl", key);

describe("the setup form in Slack", () => {
  const TEAM = "T0LEERLUS";
  let app: SlackOnDemo;
  let database: TestDatabase;
  let fake: FakeSlackApi;
  let base: string;
  let seq = 0;
  type View = {
    blocks: { type: string; block_id?: string; element?: Record<string, unknown> }[];
    private_metadata: string;
  };
  let view: View;

  const post = (body: string) => postSigned(`${base}/slack/events`, body, FORM, { secret: SLACK_TEST_SECRET });
  const submit = (values: Record<string, Record<string, unknown>>) =>
    post(viewSubmissionBody({ teamId: TEAM, userId: "USANNE", view, values }));
  const text = (value: string) => ({ type: "plain_text_input", value });
  const answers = (overrides: Record<string, Record<string, unknown>>) => ({
    name: { name: text("Slimme bruggen") },
    phase: { phase: { type: "static_select", selected_option: { value: "explore" } } },
    cadence: { cadence: text("elke 2 weken donderdag 15:00") },
    lead: { lead: { type: "users_select", selected_user: "USANNE" } },
    manager: { manager: { type: "multi_users_select", selected_users: [] } },
    adviser: { adviser: { type: "multi_users_select", selected_users: [] } },
    ...overrides,
  });

  beforeAll(async () => {
    app = await startSlackOnDemo(TEAM, [
      { personId: DEMO_IDS.sanne, userId: "USANNE", name: "Sanne de Vries" },
      { personId: DEMO_IDS.lotte, userId: "ULOTTE", name: "Lotte Jansen" },
    ]);
    ({ database, fake, base } = app);
  });

  afterAll(async () => {
    await app?.close();
  });

  it("in a direct message: no members from a channel, and Slack's people pickers", async () => {
    const response = await post(
      slashCommandBody({
        teamId: TEAM,
        userId: "USANNE",
        channelId: "DSANNE",
        text: "opzetten",
        responseUrl: fake.responseUrl(`cmd-${++seq}`),
        triggerId: "trigger-setup",
      }),
    );
    expect(response.status).toBe(200);
    const opened = await eventually(() => fake.callsTo("views.open")[0]);
    expect(callProblems([opened])).toEqual([]);
    view = opened.args.view as View;
    const json = JSON.stringify(view);
    expect(json).toContain(nl("setup.intro-direct").slice(0, 60));
    expect(json).not.toContain("De leden van het kanaal");
    const element = (key: string) => view.blocks.find((block) => block.block_id === key)?.element;
    // The lead is required: a single picker, the person setting up chosen already.
    expect(element("lead")).toEqual({ type: "users_select", action_id: "lead", initial_user: "USANNE" });
    // Optional ones: a multi-select of at most one, which can be emptied again.
    expect(element("manager")).toEqual({ type: "multi_users_select", action_id: "manager", max_selected_items: 1 });
    expect(element("adviser")?.type).toBe("multi_users_select");
  });

  it("shows what is wrong next to its field in the modal, and creates nothing", async () => {
    const response = await submit(
      answers({
        name: { name: text("") },
        manager: { manager: { type: "multi_users_select", selected_users: ["UNOTINLEERLUS"] } },
      }),
    );
    const body = JSON.parse(response.text) as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe("errors");
    expect(body.errors).toEqual({ name: nl("setup.problem.required"), manager: nl("setup.problem.unknown-person") });
    expect(await firstWhere(database.db, "Project", { name: "Slimme bruggen" })).toBeNull();
  });

  it("reads the picked Slack users as their people; an emptied manager is none", async () => {
    const response = await submit(
      answers({ adviser: { adviser: { type: "multi_users_select", selected_users: ["ULOTTE"] } } }),
    );
    expect(response.status).toBe(200);
    const project = await eventually(
      async () => (await firstWhere(database.db, "Project", { name: "Slimme bruggen" })) ?? undefined,
    );
    const roles = await rowsWhere(database.db, "Membership", { projectId: project.id });
    const byRole = (role: string) => roles.filter((row) => row.role === role).map((row) => row.personId);
    expect(byRole("lead")).toEqual([DEMO_IDS.sanne]);
    expect(byRole("adviser")).toEqual([DEMO_IDS.lotte]);
    expect(byRole("manager")).toEqual([]);
  });
});

describe("the setup form as a Teams card", () => {
  let database: TestDatabase;
  let core: ReturnType<typeof createTestCore>;
  const t = (key: string, vars?: Record<string, string | number>) => prompts.t("nl", `teams.${key}`, vars);

  beforeAll(async () => {
    database = await createTestDatabase();
    core = createTestCore(database, [createRecordingAdapter("web")]);
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
    await database.prisma.chatIdentity.create({
      data: { personId: DEMO_IDS.sanne, platform: "teams", tenantId: "tenant-1", platformUserId: "aad-sanne" },
    });
  });

  afterAll(async () => {
    await core?.close();
    await database?.drop();
  });

  it("uses Teams' people picker, shows the chosen lead by name, and lets the manager be left empty", async () => {
    const [form] = await handleEvent(core.deps, {
      type: "command",
      platform: "teams",
      tenantId: "tenant-1",
      platformUserId: "aad-sanne",
      conversationRef: "teams-dm-sanne",
      text: "opzetten",
      direct: true,
    });
    if (!form) throw new Error("no setup form");
    const [card] = renderCards(form, t);
    expect(adaptiveCardProblems(card)).toEqual([]);
    const sets = findByType(card, "Input.ChoiceSet");
    const lead = sets.find((set) => set.id === "lead");
    expect(lead?.["choices.data"]).toEqual({ type: "Data.Query", dataset: "graph.microsoft.com/users" });
    expect(lead?.value).toBe("aad-sanne");
    expect(lead?.choices).toEqual([{ title: "Sanne de Vries", value: "aad-sanne" }]);
    const manager = sets.find((set) => set.id === "manager");
    expect(manager?.isRequired).toBe(false);
    expect(manager?.value).toBeUndefined();
    // The card carries no list of hundreds of people back and forth.
    expect(JSON.stringify(card)).not.toContain("Lotte Jansen");
    expect(JSON.stringify(card)).toContain(nl("setup.intro-direct").slice(0, 60));
  });
});

describe("the setup form in Teams", () => {
  const TENANT = "tenant-gemeente-opzet";
  const pim: TeamsPerson = { aadObjectId: "aad-pim-opzet", name: "Pim de Vries", tenantId: TENANT };
  let app: TeamsApp;
  let database: TestDatabase;
  let fake: FakeBotFramework;
  let server: TeamsServer;
  let core: ReturnType<typeof createTestCore>;
  const dm = personalConversation(pim);
  const cardsSince = (before: number) =>
    fake.calls
      .slice(before)
      .flatMap((call) => (call.body.attachments?.[0]?.content ? [call.body.attachments[0].content] : []));

  beforeAll(async () => {
    app = await startTeamsApp();
    ({ database, fake, server, core } = app);
  });

  afterAll(async () => {
    await app?.close();
  });

  const setup = () => ({ fake, server, core, database });
  let submit: { verb: string; data: Record<string, unknown> };

  it("in a personal chat: no members from a channel, and Teams' people picker with the lead chosen", async () => {
    // Installed in a personal chat: the tenant becomes an organisation, Pim its first person.
    await postToTeams(setup(), installActivity(fake, pim, dm));
    await eventually(() => fake.calls.length > 0);
    const before = fake.calls.length;
    await postToTeams(setup(), messageActivity(fake, pim, dm, "opzetten"));
    const form = await eventually(() => cardsSince(before).find((card) => findByType(card, "Input.Text").length > 0));
    expect(adaptiveCardProblems(form)).toEqual([]);
    expect(cardText(form)).toContain(nl("setup.intro-direct").slice(0, 60));
    expect(cardText(form)).not.toContain("De leden van het kanaal");
    const lead = findByType(form, "Input.ChoiceSet").find((set) => set.id === "lead");
    expect(lead?.["choices.data"]).toEqual({ type: "Data.Query", dataset: "graph.microsoft.com/users" });
    expect(lead?.value).toBe(pim.aadObjectId);
    const action = findByType(form, "Action.Execute").find((candidate) => candidate.verb === "setup.submit");
    submit = { verb: "setup.submit", data: action?.data as Record<string, unknown> };
  });

  it("shows each problem under its field, keeping what was filled in", async () => {
    const activity = executeActivity(fake, pim, dm, {
      verb: submit.verb,
      data: {
        ...submit.data,
        name: "",
        phase: "explore",
        cadence: "elke week maandag 10:00",
        lead: pim.aadObjectId,
        manager: "aad-not-in-leerlus",
      },
    });
    const response = await postActivity(server.url, activity, fake.token({ appId: APP_ID }));
    // The invoke is answered with the form again: Teams puts it in place of the one sent.
    const card = ((await response.json()) as { value: unknown }).value;
    expect(adaptiveCardProblems(card)).toEqual([]);
    // Each message right after its own field.
    const items = findByType(card, "Container").flatMap((container) => container.items as Record<string, unknown>[]);
    const below = (id: string) => items[items.findIndex((item) => item.id === id) + 1];
    expect(below("manager")).toMatchObject({
      color: "Attention",
      text: escapeMarkdown(nl("setup.problem.unknown-person")),
    });
    expect(below("name")).toMatchObject({ color: "Attention", text: escapeMarkdown(nl("setup.problem.required")) });
    expect(JSON.stringify(card)).toContain('"value":"elke week maandag 10:00"');
    expect(await firstWhere(database.db, "Project", { name: "" })).toBeNull();
  });

  it("reads the picked people by their Entra id; a manager left empty is none", async () => {
    await postToTeams(
      setup(),
      executeActivity(fake, pim, dm, {
        verb: submit.verb,
        data: {
          ...submit.data,
          name: "Slimme dijken",
          phase: "explore",
          cadence: "elke week maandag 10:00",
          lead: pim.aadObjectId,
          manager: "",
        },
      }),
    );
    const project = await eventually(
      async () => (await firstWhere(database.db, "Project", { name: "Slimme dijken" })) ?? undefined,
    );
    const roles = await rowsWhere(database.db, "Membership", { projectId: project.id });
    const pimPerson = await core.deps.stores.directory.personByIdentity("teams", TENANT, pim.aadObjectId);
    expect(roles.filter((row) => row.role === "lead").map((row) => row.personId)).toEqual([pimPerson?.id]);
    expect(roles.filter((row) => row.role === "manager")).toEqual([]);
  });
});
