import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSlackAdapter, type SlackAdapter } from "../../adapters/slack/create-slack-adapter.ts";
import { DEMO_IDS } from "../../src/persistence/demo-seed.ts";
import { createInstallRepository } from "../../src/persistence/install-repository.ts";
import { createReceivedEventRepository } from "../../src/persistence/received-event-repository.ts";
import { createTokenCipher } from "../../src/persistence/token-cipher.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { type FakeBotFramework, startFakeBotFramework } from "../support/fake-bot-framework.ts";
import { type FakeSlackApi, startFakeSlackApi } from "../support/fake-slack-api.ts";
import { countWhere, oneWhere, rowsWhere, updateWhere } from "../support/fixtures.ts";
import { closeServer, listenApp } from "../support/listen-app.ts";
import { eventBody, FORM, JSON_TYPE, postSigned, slashCommandBody } from "../support/slack-requests.ts";
import {
  APP_ID,
  installActivity,
  personalConversation,
  postHandled,
  startTeamsServer,
  type TeamsPerson,
  type TeamsServer,
  teamsConfig,
} from "../support/teams-activities.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestCore, prompts } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";
import { startWebApp, type WebApp } from "../support/web-app.ts";

const SECRET = "slack-signing-secret-for-security-tests";
const TEAM = "T0TRUST";
const INSTALLER = "UINSTALLER";
const REINSTALLER = "UREINSTALL";
const INVITER = "UINVITER";
const CHANNEL = "C0INVITED";

// Only the person who installs Leerlus for a new organisation becomes its admin; after that
// only an admin makes someone an admin. Real Bolt over signed HTTP, real core and database.
describe("Slack: installing does not make an admin of an existing organisation", () => {
  let database: TestDatabase;
  let fake: FakeSlackApi;
  let slack: SlackAdapter;
  let core: ReturnType<typeof createTestCore>;
  let server: Server;
  let base: string;
  let seq = 0;

  const post = (body: string, type: string) => postSigned(`${base}/slack/events`, body, type, { secret: SECRET });
  const event = (payload: Record<string, unknown>) =>
    post(eventBody({ teamId: TEAM, eventId: `EvTrust${++seq}`, event: payload }), JSON_TYPE);
  const command = (userId: string, text: string) =>
    post(
      slashCommandBody({
        teamId: TEAM,
        userId,
        channelId: `D${userId.slice(1)}`,
        text,
        responseUrl: fake.responseUrl(`trust-${++seq}`),
      }),
      FORM,
    );
  const person = (userId: string) => core.deps.stores.directory.personByIdentity("slack", TEAM, userId);
  const oauthInstall = async () => {
    const start = await fetch(`${base}/slack/install`, { redirect: "manual" });
    const state = new URL(start.headers.get("location") ?? "").searchParams.get("state") ?? "";
    const cookie = (start.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const done = await fetch(`${base}/slack/oauth_redirect?code=code-${++seq}&state=${encodeURIComponent(state)}`, {
      headers: { cookie },
    });
    expect(done.status).toBe(200);
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    fake = await startFakeSlackApi({ id: TEAM, name: "Gemeente Vertrouwen" });
    fake.users.set(INSTALLER, { id: INSTALLER, name: "Ilse Installeerder" });
    fake.users.set(REINSTALLER, { id: REINSTALLER, name: "Ruben Herinstalleerder" });
    fake.users.set(INVITER, { id: INVITER, name: "Vera Uitnodiger" });
    const installs = createInstallRepository(database.db, createTokenCipher(randomBytes(32).toString("base64")));
    slack = createSlackAdapter({
      signingSecret: SECRET,
      botToken: undefined,
      appToken: undefined,
      oauth: { clientId: "1234.5678", clientSecret: "client-secret", stateSecret: "state-secret-for-tests" },
      apiUrl: fake.apiUrl,
      publicUrl: "http://127.0.0.1",
      installs,
      receivedEvents: createReceivedEventRepository(database.db),
      homeView: async () => null,
      text: (locale, key, vars) => prompts.t(locale, key, vars),
    });
    core = createTestCore(database, [slack.adapter]);
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

  it("makes the installer of a new workspace its first admin", async () => {
    fake.installer = INSTALLER;
    await oauthInstall();
    expect((await person(INSTALLER))?.roles).toContain("admin");
  });

  it("a re-install by someone else does not make them admin, and the first admin stays admin", async () => {
    fake.installer = REINSTALLER;
    await oauthInstall();
    const reinstaller = await person(REINSTALLER);
    expect(reinstaller?.organisationId).toBe((await person(INSTALLER))?.organisationId);
    expect(reinstaller?.roles).not.toContain("admin");
    fake.installer = INSTALLER;
    await oauthInstall();
    expect((await person(INSTALLER))?.roles).toContain("admin");
    expect(await countWhere(database.db, "Organisation")).toBe(1);
  });

  it("adding Leerlus to a channel does not make the inviter admin", async () => {
    expect(
      (
        await event({
          type: "member_joined_channel",
          user: "UBOTLEERLUS",
          inviter: INVITER,
          channel: CHANNEL,
          team: TEAM,
        })
      ).status,
    ).toBe(200);
    const inviter = await eventually(async () => (await person(INVITER)) ?? undefined);
    expect(inviter.roles).not.toContain("admin");
  });

  it("only an admin makes someone admin, and the audit log records it by ids only", async () => {
    const inviter = await person(INVITER);
    const admin = await person(INSTALLER);
    if (!inviter || !admin) throw new Error("people missing");
    // Ruben, not an admin, tries to make himself and then Vera admin: refused, nothing changes.
    expect((await command(REINSTALLER, "role Ruben admin")).status).toBe(200);
    expect((await command(REINSTALLER, "rol Vera beheerder")).status).toBe(200);
    await eventually(() => fake.callsTo("respond").length >= 2 || undefined);
    expect((await person(REINSTALLER))?.roles).not.toContain("admin");
    expect((await person(INVITER))?.roles).not.toContain("admin");
    expect(await countWhere(database.db, "AuditEvent", { kind: "role.granted" })).toBe(0);

    expect((await command(INSTALLER, "role Vera admin")).status).toBe(200);
    await eventually(async () => ((await person(INVITER))?.roles.includes("admin") ? true : undefined));
    const audit = await oneWhere(database.db, "AuditEvent", { kind: "role.granted" });
    expect(audit.actorId).toBe(admin.id);
    expect(audit.subject).toBe(inviter.id);
    expect(audit.organisationId).toBe(admin.organisationId);
    expect(JSON.stringify(audit)).not.toMatch(/Vera|Ilse|Uitnodiger/);
  });
});

const TENANT = "tenant-trust";
const NEW_TENANT = "tenant-brand-new";

describe("Teams: a personal install does not make an admin of an existing organisation", () => {
  let database: TestDatabase;
  let fake: FakeBotFramework;
  let server: TeamsServer;
  let core: ReturnType<typeof createTestCore>;

  // Teams gets its 200 once the activity is recorded; the core handles it right after.
  const post = async (activity: Record<string, unknown>) =>
    (await postHandled(database.db, server.url, activity, fake.token({ appId: APP_ID }))).status;
  const person = (tenantId: string, aad: string) => core.deps.stores.directory.personByIdentity("teams", tenantId, aad);

  beforeAll(async () => {
    database = await createTestDatabase();
    fake = await startFakeBotFramework();
    server = await startTeamsServer(teamsConfig(fake, database.db));
    core = createTestCore(database, [server.teams.adapter]);
    await server.teams.adapter.start((inbound) => handleEvent(core.deps, inbound));
  });

  afterAll(async () => {
    await server?.teams.adapter.stop();
    await server?.close();
    await core?.close();
    await fake?.close();
    await database?.drop();
  });

  it("the first personal install of a tenant makes its installer admin; later ones do not", async () => {
    const first: TeamsPerson = { aadObjectId: "aad-first", name: "Femke Eerste", tenantId: TENANT };
    const later: TeamsPerson = { aadObjectId: "aad-later", name: "Lars Later", tenantId: TENANT };
    expect(await post(installActivity(fake, first, personalConversation(first)))).toBe(200);
    expect((await person(TENANT, first.aadObjectId))?.roles).toContain("admin");
    expect(await post(installActivity(fake, later, personalConversation(later)))).toBe(200);
    const laterPerson = await person(TENANT, later.aadObjectId);
    expect(laterPerson?.organisationId).toBe((await person(TENANT, first.aadObjectId))?.organisationId);
    expect(laterPerson?.roles).not.toContain("admin");
    // Installing again keeps the first admin an admin.
    expect(await post(installActivity(fake, first, personalConversation(first)))).toBe(200);
    expect((await person(TENANT, first.aadObjectId))?.roles).toContain("admin");

    const other: TeamsPerson = { aadObjectId: "aad-other", name: "Olga Ander", tenantId: NEW_TENANT };
    expect(await post(installActivity(fake, other, personalConversation(other)))).toBe(200);
    const otherPerson = await person(NEW_TENANT, other.aadObjectId);
    expect(otherPerson?.roles).toContain("admin");
    expect(otherPerson?.organisationId).not.toBe(laterPerson?.organisationId);
  });
});

// Project roles: a lead shares the work of their team, but gives nobody (themselves included)
// the organisation-wide admin role, and does not make themselves the manager who decides
// their own gates or the adviser who reads the organisation's digests.
describe("role grants in the web chat", () => {
  let app: WebApp;
  const pilotChannel = `web:channel:${DEMO_IDS.pilot}`;

  const signIn = async (personId: string) => {
    const response = await fetch(`${app.base}/?as=${personId}`, { redirect: "manual" });
    return /leerlus_web=[^;]+/.exec(response.headers.get("set-cookie") ?? "")?.[0] ?? "";
  };
  const say = async (personId: string, conversationRef: string, text: string) => {
    const response = await fetch(`${app.base}/web/api/command`, {
      method: "POST",
      headers: { cookie: await signIn(personId), "content-type": "application/json" },
      body: JSON.stringify({ conversationRef, text }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { replies: { html: string }[] };
    return body.replies.map((reply) => reply.html).join("\n");
  };
  const rolesOf = async (personId: string) => (await oneWhere(app.database.db, "Person", { id: personId })).roles;
  const membership = (personId: string) =>
    rowsWhere(app.database.db, "Membership", { projectId: DEMO_IDS.pilot, personId });

  beforeAll(async () => {
    app = await startWebApp();
  });

  afterAll(async () => {
    await app?.close();
  });

  it("a lead cannot grant admin, nor make themselves manager or adviser of their project", async () => {
    const before = await countWhere(app.database.db, "AuditEvent");
    expect(await say(DEMO_IDS.sanne, pilotChannel, "rol Sanne beheerder")).toContain(
      prompts.t("nl", "errors.admin-only-grant"),
    );
    expect(await say(DEMO_IDS.sanne, pilotChannel, "rol Lotte admin")).toContain(
      prompts.t("nl", "errors.admin-only-grant"),
    );
    expect(await say(DEMO_IDS.sanne, pilotChannel, "rol Sanne manager")).toContain(
      prompts.t("nl", "errors.role-not-yourself"),
    );
    expect(await say(DEMO_IDS.sanne, pilotChannel, "rol Sanne adviseur")).toContain(
      prompts.t("nl", "errors.role-not-yourself"),
    );
    expect(await rolesOf(DEMO_IDS.sanne)).not.toContain("admin");
    expect(await rolesOf(DEMO_IDS.lotte)).not.toContain("admin");
    expect((await membership(DEMO_IDS.sanne)).map((m) => m.role)).toEqual(["lead"]);
    expect(await countWhere(app.database.db, "AuditEvent")).toBe(before);
  });

  it("a lead grants project roles to others, audited as role.granted by ids", async () => {
    await say(DEMO_IDS.sanne, pilotChannel, "rol Mark manager");
    expect((await membership(DEMO_IDS.mark)).map((m) => m.role)).toContain("manager");
    const audit = await oneWhere(app.database.db, "AuditEvent", { kind: "role.granted" });
    expect(audit.actorId).toBe(DEMO_IDS.sanne);
    expect(audit.subject).toBe(DEMO_IDS.mark);
    expect(audit.data).toEqual({ role: "manager", projectId: DEMO_IDS.pilot });
  });

  it("an admin grants admin from anywhere in their organisation", async () => {
    await updateWhere(app.database.db, "Person", { id: DEMO_IDS.karin }, { roles: ["manager", "admin"] });
    expect(await say(DEMO_IDS.karin, `web:dm:${DEMO_IDS.karin}`, "rol Lotte beheerder")).toContain("Lotte Jansen");
    expect(await rolesOf(DEMO_IDS.lotte)).toContain("admin");
    const audit = await oneWhere(app.database.db, "AuditEvent", { kind: "role.granted", subject: DEMO_IDS.lotte });
    expect(audit.actorId).toBe(DEMO_IDS.karin);
    expect(audit.data).toEqual({ role: "admin" });
  });
});
