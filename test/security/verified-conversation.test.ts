import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SlackAdapter } from "../../adapters/slack/create-slack-adapter.ts";
import { DEMO_IDS } from "../../src/persistence/demo-seed.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { type FakeBotFramework, startFakeBotFramework } from "../support/fake-bot-framework.ts";
import { type FakeSlackApi, startFakeSlackApi } from "../support/fake-slack-api.ts";
import { countWhere, insertRow, oneWhere, rowsWhere } from "../support/fixtures.ts";
import { closeServer, listenApp } from "../support/listen-app.ts";
import { seedTeams } from "../support/seed-teams.ts";
import { FORM, interactiveBody, postSigned } from "../support/slack-requests.ts";
import { createTestSlackAdapter } from "../support/slack-test-adapter.ts";
import {
  APP_ID,
  BOT_ID,
  executeActivity,
  personalConversation,
  postActivity,
  startTeamsServer,
  type TeamsPerson,
  type TeamsServer,
  teamsConfig,
} from "../support/teams-activities.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestCore, prompts } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";
import { startWebApp, type WebApp } from "../support/web-app.ts";

const dm = (personId: string) => `web:dm:${personId}`;
const escapeHtml = (text: string) =>
  text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");

type Row = {
  name: string;
  actor: "outsider" | "emma";
  endpoint: "action" | "form";
  actionId: string;
  value: () => string;
  answers?: () => Record<string, string>;
  /** The prompt key whose text the refusal shows. */
  refusal: string;
};

// Every id a button or form sends back is checked against who is acting: a person of another
// organisation (the outsider, lead of their own team) or a plain member without the role gets
// a refusal, and the database stays exactly as it was. Through the real web API.
describe("ids from the client are checked against who is acting", () => {
  let app: WebApp;
  let outsider: string;
  let ids: {
    cycle: string;
    otherCycle: string;
    action: string;
    lesson: string;
    share: string;
    checkpoint: string;
  };

  const signIn = async (personId: string) => {
    const response = await fetch(`${app.base}/?as=${personId}`, { redirect: "manual" });
    return /leerlus_web=[^;]+/.exec(response.headers.get("set-cookie") ?? "")?.[0] ?? "";
  };
  const send = async (personId: string, path: string, body: Record<string, unknown>) => {
    const response = await fetch(`${app.base}/web/api/${path}`, {
      method: "POST",
      headers: { cookie: await signIn(personId), "content-type": "application/json" },
      body: JSON.stringify({ conversationRef: dm(personId), ...body }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { replies: { html: string }[] }).replies.map((r) => r.html).join("\n");
  };
  /** Everything an action could change, in a stable order. */
  const snapshot = async () => {
    const db = app.database.db;
    const tables = [
      "Project",
      "ProjectChannel",
      "Membership",
      "Person",
      "RetroCycle",
      "Delivery",
      "Answer",
      "ActionItem",
      "Lesson",
      "LessonShare",
      "Checkpoint",
      "GateDecision",
      "AuditEvent",
    ] as const;
    const rows = [];
    for (const table of tables) rows.push(await db.selectFrom(table).selectAll().orderBy("id").execute());
    return JSON.stringify(rows);
  };
  const setupAnswers =
    (lead: string, extra: Record<string, string> = {}) =>
    () => ({
      name: "Gekaapt project",
      phase: "explore",
      cadence: "elke 2 weken donderdag 15:00",
      lead,
      ...extra,
    });

  beforeAll(async () => {
    app = await startWebApp();
    const db = app.database.db;
    const now = app.core.clock.now();
    // Organisation B: its own team, led by the outsider.
    const other = await seedTeams(db, { projects: 1, members: 2, now });
    outsider = other.memberIds[0] as string;
    // Organisation A (the demo): an open retro in each project, an action, a proposed lesson,
    // a lesson shared with the implementation team, and an open checkpoint of the pilot.
    await advanceProject(app.core.deps, DEMO_IDS.pilot, { openNow: true });
    await advanceProject(app.core.deps, DEMO_IDS.implementation, { openNow: true });
    await eventually(async () => {
      const rows = await rowsWhere(db, "OutboxMessage");
      return rows.length > 0 && rows.every((row) => row.status === "sent");
    });
    const cycle = await oneWhere(db, "RetroCycle", { projectId: DEMO_IDS.pilot });
    const otherCycle = await oneWhere(db, "RetroCycle", { projectId: DEMO_IDS.implementation });
    const action = await insertRow(db, "ActionItem", { projectId: DEMO_IDS.pilot, text: "Sensoren ophangen" });
    await insertRow(db, "ActionOwner", { actionId: action.id, personId: DEMO_IDS.lotte });
    const lesson = await insertRow(db, "Lesson", {
      organisationId: DEMO_IDS.organisation,
      projectId: DEMO_IDS.pilot,
      phase: "pilot",
      text: "Voorgestelde les",
      status: "proposed",
    });
    const shared = await oneWhere(db, "Lesson", { projectId: DEMO_IDS.pilot, status: "confirmed" });
    const share = await insertRow(db, "LessonShare", { lessonId: shared.id, projectId: DEMO_IDS.implementation });
    const checkpoint = await insertRow(db, "Checkpoint", {
      projectId: DEMO_IDS.pilot,
      phase: "pilot",
      key: "dpia-done",
      dueAt: new Date(now.getTime() + 86_400_000),
    });
    ids = {
      cycle: cycle.id,
      otherCycle: otherCycle.id,
      action: action.id,
      lesson: lesson.id,
      share: share.id,
      checkpoint: checkpoint.id,
    };
  });

  afterAll(async () => {
    await app?.close();
  });

  const rows: Row[] = [
    // Setup: the conversation comes from the signed-in session, never from the value.
    {
      name: "setup bound to another person's direct messages",
      actor: "outsider",
      endpoint: "form",
      actionId: "setup.submit",
      value: () => `web|${dm(DEMO_IDS.sanne)}`,
      answers: () => setupAnswers(outsider)(),
      refusal: "errors.conversation-mismatch",
    },
    {
      name: "setup bound to another organisation's Slack channel",
      actor: "outsider",
      endpoint: "form",
      actionId: "setup.submit",
      value: () => "slack|slack:TGEMEENTEA:CTEAM",
      answers: () => setupAnswers(outsider)(),
      refusal: "errors.conversation-mismatch",
    },
    {
      name: "setup naming a lead from another organisation",
      actor: "outsider",
      endpoint: "form",
      actionId: "setup.submit",
      value: () => "new",
      answers: () => setupAnswers(DEMO_IDS.sanne)(),
      refusal: "setup.problem.unknown-person",
    },
    {
      name: "setup naming a manager from another organisation",
      actor: "outsider",
      endpoint: "form",
      actionId: "setup.submit",
      value: () => "new",
      answers: () => setupAnswers(outsider, { manager: DEMO_IDS.karin })(),
      refusal: "setup.problem.unknown-person",
    },
    {
      name: "setup by a member naming themselves adviser",
      actor: "emma",
      endpoint: "form",
      actionId: "setup.submit",
      value: () => "new",
      answers: () => setupAnswers(DEMO_IDS.emma, { adviser: DEMO_IDS.emma })(),
      refusal: "setup.problem.not-yourself",
    },
    {
      name: "answers to another organisation's retro",
      actor: "outsider",
      endpoint: "form",
      actionId: "retro.answer",
      value: () => ids.cycle,
      answers: () => ({ went_well: "Ingebroken" }),
      refusal: "errors.not-invited",
    },
    {
      name: "answers to a retro the member was not invited to",
      actor: "emma",
      endpoint: "form",
      actionId: "retro.answer",
      value: () => ids.otherCycle,
      answers: () => ({ went_well: "Ingebroken" }),
      refusal: "errors.not-invited",
    },
    {
      name: "opening another organisation's retro form",
      actor: "outsider",
      endpoint: "action",
      actionId: "retro.open",
      value: () => ids.cycle,
      refusal: "errors.not-invited",
    },
    {
      name: "marking another organisation's action done",
      actor: "outsider",
      endpoint: "action",
      actionId: "action.done",
      value: () => ids.action,
      refusal: "errors.owner-or-lead",
    },
    {
      name: "dropping someone else's action as a plain member",
      actor: "emma",
      endpoint: "action",
      actionId: "action.drop",
      value: () => ids.action,
      refusal: "errors.owner-or-lead",
    },
    {
      name: "confirming another organisation's lesson",
      actor: "outsider",
      endpoint: "action",
      actionId: "lesson.confirm",
      value: () => ids.lesson,
      refusal: "errors.not-found",
    },
    {
      name: "dismissing a lesson as a plain member",
      actor: "emma",
      endpoint: "action",
      actionId: "lesson.dismiss",
      value: () => ids.lesson,
      refusal: "errors.lead-only-lessons",
    },
    {
      name: "feedback on another organisation's shared lesson",
      actor: "outsider",
      endpoint: "action",
      actionId: "lesson.useful",
      value: () => ids.share,
      refusal: "lessons.others.not-member",
    },
    {
      name: "marking a lesson applied for a team one is not in",
      actor: "emma",
      endpoint: "action",
      actionId: "lesson.applied",
      value: () => ids.share,
      refusal: "lessons.others.not-member",
    },
    {
      name: "exporting another person's data",
      actor: "outsider",
      endpoint: "action",
      actionId: "privacy.export",
      value: () => DEMO_IDS.sanne,
      refusal: "errors.not-allowed",
    },
    {
      name: "erasing a colleague's data",
      actor: "emma",
      endpoint: "action",
      actionId: "privacy.erase.confirm",
      value: () => DEMO_IDS.lotte,
      refusal: "errors.not-allowed",
    },
    {
      name: "resolving another organisation's checkpoint",
      actor: "outsider",
      endpoint: "action",
      actionId: "checkpoint.done",
      value: () => ids.checkpoint,
      refusal: "gates.not-allowed",
    },
    {
      name: "snoozing a checkpoint as a plain member",
      actor: "emma",
      endpoint: "action",
      actionId: "checkpoint.snooze",
      value: () => `${ids.checkpoint}:4`,
      refusal: "gates.not-allowed",
    },
    {
      name: "submitting evidence for another organisation's checkpoint",
      actor: "outsider",
      endpoint: "form",
      actionId: "checkpoint.done.submit",
      value: () => ids.checkpoint,
      answers: () => ({ note: "Gedaan" }),
      refusal: "gates.not-allowed",
    },
    {
      name: "opening another organisation's gate review",
      actor: "outsider",
      endpoint: "action",
      actionId: "gate.review",
      value: () => DEMO_IDS.pilot,
      refusal: "gates.not-allowed",
    },
    {
      name: "deciding another organisation's gate",
      actor: "outsider",
      endpoint: "form",
      actionId: "gate.decide",
      value: () => `${DEMO_IDS.pilot}:pilot`,
      answers: () => ({ decision: "stop", reason: "Overgenomen" }),
      refusal: "gates.not-allowed",
    },
    {
      name: "deciding a gate as a plain member",
      actor: "emma",
      endpoint: "form",
      actionId: "gate.decide",
      value: () => `${DEMO_IDS.pilot}:pilot`,
      answers: () => ({ decision: "go", reason: "Zelf besloten" }),
      refusal: "gates.not-allowed",
    },
  ];

  it.each(rows)("refuses $name and changes nothing", async (row) => {
    const before = await snapshot();
    const actor = row.actor === "outsider" ? outsider : DEMO_IDS.emma;
    const locale = row.actor === "emma" ? "en" : "nl";
    const html = await send(actor, row.endpoint, {
      actionId: row.actionId,
      value: row.value(),
      ...(row.endpoint === "form" ? { answers: row.answers?.() ?? {} } : {}),
    });
    expect(html).toContain(escapeHtml(prompts.t(locale, row.refusal)));
    expect(await snapshot()).toBe(before);
  });

  it("still sets up a project in the conversation the form was submitted from", async () => {
    const before = await countWhere(app.database.db, "Project");
    const html = await send(DEMO_IDS.emma, "form", {
      actionId: "setup.submit",
      value: "new",
      answers: setupAnswers(DEMO_IDS.emma)(),
    });
    expect(html).toContain("Gekaapt project");
    expect(await countWhere(app.database.db, "Project")).toBe(before + 1);
    const project = await app.database.prisma.project.findFirstOrThrow({
      where: { name: "Gekaapt project" },
      include: { channels: true },
    });
    expect(project.organisationId).toBe(DEMO_IDS.organisation);
    expect(project.channels.map((channel) => channel.conversationRef)).toEqual([`web:channel:${project.id}`]);
  });
});

/** Two organisations, each with one person, on one platform: A's channel is what B tries to take. */
async function twoOrganisations(db: TestDatabase["db"], platform: "slack" | "teams", tenants: [string, string]) {
  const ids: string[] = [];
  for (const [index, tenantId] of tenants.entries()) {
    const organisation = await insertRow(db, "Organisation", { name: `Gemeente ${index === 0 ? "A" : "B"}` });
    await insertRow(db, "Install", { organisationId: organisation.id, platform, tenantId });
    ids.push(organisation.id);
  }
  return ids as [string, string];
}

const SLACK_SECRET = "test-signing-secret";
const TEAM_A = "TGEMEENTEA";
const TEAM_B = "TGEMEENTEB";
const USER_B = "UINDRINGER";

// The Slack setup modal: the conversation is the one the bot stored in the modal when it
// opened it, and only if it belongs to the workspace and person that submit it.
describe("Slack: a setup form cannot name another conversation", () => {
  let database: TestDatabase;
  let fake: FakeSlackApi;
  let slack: SlackAdapter;
  let core: ReturnType<typeof createTestCore>;
  let server: Server;
  let base: string;
  let leadId: string;

  const submit = (metadata: Record<string, unknown>, name: string) =>
    postSigned(
      `${base}/slack/events`,
      interactiveBody({
        type: "view_submission",
        team: { id: TEAM_B },
        user: { id: USER_B, team_id: TEAM_B },
        api_app_id: "ALEERLUS",
        view: {
          id: "VSETUP",
          type: "modal",
          callback_id: "leerlus.form",
          private_metadata: JSON.stringify({ actionId: "setup.submit", ...metadata }),
          blocks: ["name", "phase", "cadence", "lead"].map((key) => ({ type: "input", block_id: key })),
          state: {
            values: {
              name: { name: { type: "plain_text_input", value: name } },
              phase: { phase: { type: "static_select", selected_option: { value: "explore" } } },
              cadence: { cadence: { type: "plain_text_input", value: "elke 2 weken donderdag 15:00" } },
              lead: { lead: { type: "static_select", selected_option: { value: leadId } } },
            },
          },
        },
      }),
      FORM,
      { secret: SLACK_SECRET },
    );
  const toldUser = (key: string) =>
    fake
      .callsTo("chat.postMessage")
      .find((call) => call.args.channel === USER_B && JSON.stringify(call.args).includes(prompts.t("nl", key)));

  beforeAll(async () => {
    database = await createTestDatabase();
    fake = await startFakeSlackApi({ id: TEAM_B, name: "Gemeente B" });
    fake.users.set(USER_B, { id: USER_B, name: "Ineke Indringer" });
    slack = createTestSlackAdapter(fake, database.db);
    core = createTestCore(database, [slack.adapter]);
    await slack.adapter.start((inbound) => handleEvent(core.deps, inbound));
    const [, organisationB] = await twoOrganisations(database.db, "slack", [TEAM_A, TEAM_B]);
    const person = await database.prisma.person.create({
      data: {
        organisationId: organisationB,
        displayName: "Ineke Indringer",
        identities: { create: { platform: "slack", tenantId: TEAM_B, platformUserId: USER_B } },
      },
    });
    leadId = person.id;
    ({ server, base } = await listenApp({ routers: [], rawRouters: [slack.router] }));
  });

  afterAll(async () => {
    await slack?.adapter.stop();
    await closeServer(server);
    await core?.close();
    await fake?.close();
    await database?.drop();
  });

  it("refuses a value naming another workspace's channel, and changes nothing", async () => {
    const response = await submit(
      { value: `slack|slack:${TEAM_A}:CTEAMA`, conversationRef: `slack:${TEAM_B}:CTEAMB` },
      "Overgenomen kanaal",
    );
    expect(response.status).toBe(200);
    await eventually(() => toldUser("errors.conversation-mismatch"));
    expect(await countWhere(database.db, "Project")).toBe(0);
    expect(await countWhere(database.db, "ProjectChannel")).toBe(0);
  });

  it("ignores a modal whose conversation is not of the submitting workspace", async () => {
    const response = await submit(
      { value: `slack|slack:${TEAM_A}:CTEAMA`, conversationRef: `slack:${TEAM_A}:CTEAMA` },
      "Ander kanaal",
    );
    expect(response.status).toBe(200);
    // A direct conversation of someone else in the same workspace is not theirs to use either.
    await submit({ value: "channel", conversationRef: `slack:${TEAM_B}:DOTHER:UOTHER` }, "Andermans DM");
    // The legitimate form, submitted after both, is handled; the two before it changed nothing.
    await submit({ value: "channel", conversationRef: `slack:${TEAM_B}:CTEAMB` }, "Eigen kanaal");
    const own = await eventually(
      async () =>
        (await database.prisma.project.findFirst({ where: { name: "Eigen kanaal" }, include: { channels: true } })) ??
        undefined,
    );
    expect(own.channels.map((channel) => channel.conversationRef)).toEqual([`slack:${TEAM_B}:CTEAMB`]);
    expect(await countWhere(database.db, "Project")).toBe(1);
  });
});

const TENANT_A = "tenant-gemeente-a";
const TENANT_B = "tenant-gemeente-b";

// Teams: Action.Execute data is written by the client; the conversation is the validated
// activity's, so a value naming another tenant's channel is refused.
describe("Teams: a setup form cannot name another conversation", () => {
  let database: TestDatabase;
  let fake: FakeBotFramework;
  let server: TeamsServer;
  let core: ReturnType<typeof createTestCore>;
  const intruder: TeamsPerson = { aadObjectId: "aad-indringer", name: "Ineke Indringer", tenantId: TENANT_B };

  beforeAll(async () => {
    database = await createTestDatabase();
    fake = await startFakeBotFramework();
    server = await startTeamsServer(teamsConfig(fake, database.db));
    core = createTestCore(database, [server.teams.adapter]);
    await server.teams.adapter.start((inbound) => handleEvent(core.deps, inbound));
    const [, organisationB] = await twoOrganisations(database.db, "teams", [TENANT_A, TENANT_B]);
    await database.prisma.person.create({
      data: {
        organisationId: organisationB,
        displayName: intruder.name,
        identities: { create: { platform: "teams", tenantId: TENANT_B, platformUserId: intruder.aadObjectId } },
      },
    });
  });

  afterAll(async () => {
    await server?.teams.adapter.stop();
    await server?.close();
    await core?.close();
    await fake?.close();
    await database?.drop();
  });

  it("refuses a setup whose value names another tenant's channel, and changes nothing", async () => {
    const channelOfA = JSON.stringify({
      v: 1,
      channelId: "msteams",
      serviceUrl: fake.serviceUrl,
      conversation: {
        id: "19:gemeente-a@thread.tacv2",
        tenantId: TENANT_A,
        conversationType: "channel",
        isGroup: true,
      },
      bot: { id: BOT_ID },
    });
    const value = `teams|${channelOfA}`;
    const lead = await core.deps.stores.directory.personByIdentity("teams", TENANT_B, intruder.aadObjectId);
    const response = await postActivity(
      server.url,
      executeActivity(fake, intruder, personalConversation(intruder), {
        verb: "setup.submit",
        data: {
          leerlus: {
            actionId: "setup.submit",
            value,
            form: {
              formId: "setup",
              title: "Setup",
              inputs: [],
              submit: { actionId: "setup.submit", label: "Opzetten", value },
            },
          },
          name: "Overgenomen kanaal",
          phase: "explore",
          cadence: "elke 2 weken donderdag 15:00",
          lead: lead?.id ?? "",
        },
      }),
      fake.token({ appId: APP_ID }),
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(prompts.t("nl", "errors.conversation-mismatch"));
    expect(await countWhere(database.db, "Project")).toBe(0);
    expect(await countWhere(database.db, "ProjectChannel")).toBe(0);
  });
});
