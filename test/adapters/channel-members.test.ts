import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SlackAdapter } from "../../adapters/slack/create-slack-adapter.ts";
import { createInstallRepository } from "../../src/persistence/install-repository.ts";
import { createTokenCipher } from "../../src/persistence/token-cipher.ts";
import { silentLogger } from "../../src/ports/logger.ts";
import { reconcile } from "../../src/scheduler/reconciler.ts";
import { productionSchedule } from "../../src/scheduler/schedule-settings.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { erasePersonalData } from "../../src/use-cases/privacy.ts";
import { syncOrganisationMembers } from "../../src/use-cases/sync-members.ts";
import { cardText, findByType } from "../support/adaptive-card-check.ts";
import { type FakeBotFramework, startFakeBotFramework } from "../support/fake-bot-framework.ts";
import { type FakeSlackApi, startFakeSlackApi } from "../support/fake-slack-api.ts";
import { closeServer, listenApp } from "../support/listen-app.ts";
import { FORM, postSigned, slashCommandBody, viewSubmissionBody } from "../support/slack-requests.ts";
import { createTestSlackAdapter } from "../support/slack-test-adapter.ts";
import {
  APP_ID,
  channelConversation,
  executeActivity,
  installActivity,
  messageActivity,
  postActivity,
  startTeamsServer,
  type TeamsPerson,
  type TeamsServer,
  teamsConfig,
} from "../support/teams-activities.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestCore, prompts } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

// Issue #21: everyone already in the channel takes part. A channel of three sends its first
// retro to all three, with their real names; an imported person is linked by email.

const SECRET = "slack-signing-secret-for-tests";
const TEAM = "T0LEERLUS";
const SANNE = "USANNE";
const LOTTE = "ULOTTE";
const EMMA = "UEMMA";
const CHANNEL = "C0TEAM";

/** A person imported from a project CSV: known by email, not yet by any chat platform. */
async function importPerson(database: TestDatabase, organisationId: string, name: string, email: string) {
  return database.db.person.create({ data: { organisationId, displayName: name, email, roles: ["member"] } });
}

describe("channel members in Slack", () => {
  let database: TestDatabase;
  let fake: FakeSlackApi;
  let slack: SlackAdapter;
  let core: ReturnType<typeof createTestCore>;
  let server: Server;
  let base: string;
  let seq = 0;

  const command = (userId: string, text: string, channelId = CHANNEL) =>
    postSigned(
      `${base}/slack/events`,
      slashCommandBody({ teamId: TEAM, userId, channelId, text, responseUrl: fake.responseUrl(`cmd-${++seq}`) }),
      FORM,
      { secret: SECRET },
    );
  const responses = (n: number) => fake.callsTo("respond").filter((call) => call.args.responseUrlId === `cmd-${n}`);
  const dmsTo = (userId: string) =>
    fake.callsTo("chat.postMessage").filter((call) => call.args.channel === `D${userId.slice(1)}`);
  const welcomesTo = (userId: string) =>
    dmsTo(userId).filter((call) => String(call.args.text).includes(prompts.t("nl", "members.welcome.title")));

  beforeAll(async () => {
    database = await createTestDatabase();
    fake = await startFakeSlackApi({ id: TEAM, name: "Gemeente Testdam" });
    fake.users.set(SANNE, { id: SANNE, name: "Sanne Bakker", email: "sanne@testdam.nl" });
    fake.users.set(LOTTE, { id: LOTTE, name: "Lotte", email: "Lotte.Jansen@Testdam.nl" });
    fake.users.set(EMMA, { id: EMMA, name: "Emma de Wit", locale: "en-GB" });
    fake.users.set("UHELPER", { id: "UHELPER", name: "Polly", isBot: true });
    fake.users.set("UGONE", { id: "UGONE", name: "Oud-collega", deleted: true });
    fake.users.set("UBOTLEERLUS", { id: "UBOTLEERLUS", name: "Leerlus", isBot: true });
    fake.channels.set(CHANNEL, {
      members: [SANNE, "UHELPER", LOTTE, "UGONE", "UBOTLEERLUS", EMMA],
      isMember: true,
    });
    fake.channels.set("CPRIVATE", { members: [SANNE], isMember: false, isPrivate: true });
    fake.channels.set("CPUBLIC", { members: [SANNE], isMember: false });
    slack = createTestSlackAdapter(fake, database.db, {
      signingSecret: SECRET,
      botIdentity: { botId: "BLEERLUS", botUserId: "UBOTLEERLUS" },
      installs: createInstallRepository(database.db, createTokenCipher(randomBytes(32).toString("base64"))),
    });
    core = createTestCore(database, [slack.adapter]);
    await slack.adapter.start((inbound) => handleEvent(core.deps, inbound));
    ({ server, base } = await listenApp({ rawRouters: [slack.router] }));
  });

  afterAll(async () => {
    await slack?.adapter.stop();
    await closeServer(server);
    await core?.close();
    await fake?.close();
    await database?.drop();
  });

  it("refuses to set up a private channel Leerlus was not invited to, before any form", async () => {
    expect((await command(SANNE, "opzetten", "CPRIVATE")).status).toBe(200);
    const n = seq;
    const [reply] = await eventually(() => responses(n).length > 0 && responses(n));
    expect(JSON.stringify(reply?.args)).toContain(prompts.t("nl", "slack.setup.invite").slice(0, 30));
    expect(fake.callsTo("views.open")).toHaveLength(0);
    expect(await database.db.project.count()).toBe(0);
  });

  it("joins a public channel it is not in before opening the setup form", async () => {
    expect((await command(SANNE, "opzetten", "CPUBLIC")).status).toBe(200);
    await eventually(() => fake.callsTo("views.open").length === 1);
    expect(fake.callsTo("conversations.join").map((call) => call.args.channel)).toEqual(["CPUBLIC"]);
  });

  it("sets up a channel of three: all three take part, once welcomed, with real names and linked by email", async () => {
    const organisationId = (await database.db.organisation.findFirstOrThrow()).id;
    const imported = await importPerson(database, organisationId, "Lotte Jansen", "lotte.jansen@testdam.nl");
    const opensBefore = fake.callsTo("views.open").length;
    await command(SANNE, "setup");
    const opened = await eventually(() => fake.callsTo("views.open")[opensBefore]);
    const view = opened.args.view as { blocks: unknown[]; private_metadata: string };
    const sanne = await core.deps.stores.directory.personByIdentity("slack", TEAM, SANNE);
    const submitted = await postSigned(
      `${base}/slack/events`,
      viewSubmissionBody({
        teamId: TEAM,
        userId: SANNE,
        view,
        values: {
          name: { name: { type: "plain_text_input", value: "Wijkteam" } },
          phase: { phase: { type: "static_select", selected_option: { value: "explore" } } },
          cadence: { cadence: { type: "plain_text_input", value: "elke 2 weken donderdag 15:00" } },
          lead: { lead: { type: "static_select", selected_option: { value: sanne?.id } } },
        },
      }),
      FORM,
      { secret: SECRET },
    );
    expect(submitted.status).toBe(200);
    const project = await eventually(() => database.db.project.findFirst({ where: { name: "Wijkteam" } }));
    const members = await eventually(async () => {
      const rows = await database.db.membership.findMany({
        where: { projectId: project?.id, role: { in: ["member", "lead"] } },
        include: { person: { include: { identities: true } } },
      });
      const people = new Map(rows.map((row) => [row.personId, row.person]));
      return people.size === 3 && people;
    });
    const names = [...members.values()].map((person) => person.displayName).sort();
    expect(names).toEqual(["Emma de Wit", "Lotte Jansen", "Sanne Bakker"]);
    // Lotte's Slack account joined the record the import made, by her email in any case.
    expect(members.has(imported.id)).toBe(true);
    expect(await database.db.person.count({ where: { email: "lotte.jansen@testdam.nl" } })).toBe(1);
    // Bots, Leerlus itself and deactivated accounts are nobody Leerlus asks.
    expect(await database.db.chatIdentity.count({ where: { platformUserId: { in: ["UHELPER", "UGONE"] } } })).toBe(0);
    // The newcomers are told once, in a direct message, that they are in and how to opt out.
    const lotteWelcome = await eventually(() => welcomesTo(LOTTE)[0]);
    expect(JSON.stringify(lotteWelcome.args.blocks)).toContain("afmelden");
    const emmaWelcome = await eventually(() =>
      dmsTo(EMMA).find((call) => String(call.args.text).includes(prompts.t("en", "members.welcome.title"))),
    );
    expect(JSON.stringify(emmaWelcome.args.blocks)).toContain("leave");
    expect(welcomesTo(SANNE)).toHaveLength(0);
    // Paged with cursors: six members at two a page.
    expect(fake.callsTo("conversations.members").length).toBeGreaterThanOrEqual(3);
  });

  it("sends the first retro to all three", async () => {
    await command(SANNE, "retro nu");
    for (const user of [SANNE, LOTTE, EMMA]) {
      await eventually(() =>
        fake
          .callsTo("chat.postMessage")
          .find(
            (call) =>
              (call.args.channel === user || call.args.channel === `D${user.slice(1)}`) &&
              JSON.stringify(call.args.blocks).includes("retro.open"),
          ),
      );
    }
  });

  it("`members sync` by the lead welcomes nobody twice, and does not bring back who left", async () => {
    await command(EMMA, "afmelden");
    await eventually(
      async () => (await database.db.membership.count({ where: { person: { displayName: "Emma de Wit" } } })) === 0,
    );
    fake.users.set("UNIEUW", { id: "UNIEUW", name: "Noor Nieuw" });
    fake.channels.get(CHANNEL)?.members.push("UNIEUW");
    await command(LOTTE, "leden bijwerken");
    const refused = seq;
    await eventually(() => responses(refused).length > 0);
    expect(JSON.stringify(responses(refused)[0]?.args)).toContain(prompts.t("nl", "errors.lead-only").slice(0, 20));
    await command(SANNE, "members sync");
    const asked = seq;
    await eventually(() => responses(asked).length > 0);
    expect(JSON.stringify(responses(asked)[0]?.args)).toContain(prompts.t("nl", "members.sync.started").slice(0, 20));
    await eventually(() => welcomesTo("UNIEUW")[0]);
    expect(welcomesTo(LOTTE)).toHaveLength(1);
    expect(await database.db.membership.count({ where: { person: { displayName: "Emma de Wit" } } })).toBe(0);
  });

  it("reads every channel again daily, and skips a channel Leerlus was removed from", async () => {
    const organisationId = (await database.db.organisation.findFirstOrThrow()).id;
    await reconcile({
      stores: core.deps.stores,
      ticks: core.ticks,
      dispatcher: core.deps.dispatcher,
      schedule: productionSchedule(60),
      logger: silentLogger,
    });
    const schedulers = (await core.ticks.getJobSchedulers(0, -1)).map((scheduler) => scheduler.key);
    expect(schedulers).toContain(`members-${organisationId}`);

    fake.users.set("ULATER", { id: "ULATER", name: "Lars Later" });
    fake.channels.get(CHANNEL)?.members.push("ULATER");
    const adapters = new Map([["slack", slack.adapter]]);
    const report = await syncOrganisationMembers(core.deps, adapters, organisationId);
    expect(report.enrolled).toBe(1);
    await eventually(() => welcomesTo("ULATER")[0]);

    // Lars erases his data but stays in the channel: the next read does not recreate him.
    const lars = await core.deps.stores.directory.personByIdentity("slack", TEAM, "ULATER");
    await erasePersonalData(core.deps, lars?.id as string, lars?.id as string);
    expect(await syncOrganisationMembers(core.deps, adapters, organisationId)).toMatchObject({ enrolled: 0 });
    expect(await database.db.chatIdentity.count({ where: { platformUserId: "ULATER" } })).toBe(0);
    expect(await database.db.person.count({ where: { displayName: "Lars Later" } })).toBe(0);

    fake.channels.delete(CHANNEL);
    expect(await syncOrganisationMembers(core.deps, adapters, organisationId)).toEqual({ listed: 0, enrolled: 0 });
    // Nobody left the project because the list could not be read.
    expect(await database.db.membership.count({ where: { person: { displayName: "Lotte Jansen" } } })).toBe(1);
  });
});

const TENANT = "tenant-gemeente-teams";
const pim: TeamsPerson = { aadObjectId: "aad-pim", name: "Pim de Vries", tenantId: TENANT };

describe("team members in Teams", () => {
  let database: TestDatabase;
  let fake: FakeBotFramework;
  let server: TeamsServer;
  let core: ReturnType<typeof createTestCore>;
  const team = channelConversation("wijken");

  const post = async (activity: Record<string, unknown>) => {
    const response = await postActivity(server.url, activity, fake.token({ appId: APP_ID }));
    const text = await response.text();
    // Teams gets its 200 once the activity is recorded; the core handles it right after.
    await eventually(async () => (await database.db.receivedEvent.count({ where: { status: "pending" } })) === 0);
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const postsTo = (conversationId: string) =>
    fake.calls.filter(
      (call) => call.conversationId === conversationId && (call.kind === "reply" || call.kind === "send"),
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    fake = await startFakeBotFramework();
    fake.rosters.set(team.id, [
      {
        id: "29:pim",
        aadObjectId: "aad-pim",
        name: "Pim de Vries",
        email: "pim@wijken.nl",
        tenantId: TENANT,
        userRole: "user",
      },
      {
        id: "29:kees",
        aadObjectId: "aad-kees",
        name: "Kees Smit",
        userPrincipalName: "kees.smit@wijken.nl",
        tenantId: TENANT,
        userRole: "user",
      },
      {
        id: "29:fatima",
        aadObjectId: "aad-fatima",
        name: "Fatima El Amrani",
        email: "Fatima@Wijken.nl",
        tenantId: TENANT,
      },
    ]);
    server = await startTeamsServer(teamsConfig(fake, database.db));
    core = createTestCore(database, [server.teams.adapter]);
    await server.teams.adapter.start((event) => handleEvent(core.deps, event));
  });

  afterAll(async () => {
    await server?.teams.adapter.stop();
    await server?.close();
    await core?.close();
    await fake?.close();
    await database?.drop();
  });

  it("sets up a team of three: all three take part with real names, and the first retro reaches them", async () => {
    expect((await post(installActivity(fake, pim, team, "wijken"))).status).toBe(200);
    const organisationId = (await database.db.organisation.findFirstOrThrow()).id;
    const fatima = await importPerson(database, organisationId, "Fatima El Amrani", "fatima@wijken.nl");
    // Kees joined the team before: Teams sent his id without a name.
    await post({
      ...installActivity(fake, pim, team, "wijken"),
      type: "conversationUpdate",
      membersAdded: [{ id: "29:kees", aadObjectId: "aad-kees" }],
    });
    const kees = await eventually(() => core.deps.stores.directory.personByIdentity("teams", TENANT, "aad-kees"));
    expect(kees?.displayName).toBe("aad-kees");

    const welcome = postsTo(team.id)[0]?.body.attachments[0].content;
    const setupButton = findByType(welcome, "Action.Execute").find((action) => action.verb === "setup.open");
    const before = postsTo(team.id).length;
    await post(
      executeActivity(fake, pim, team, { verb: "setup.open", data: setupButton?.data as Record<string, unknown> }),
    );
    const form = (await eventually(() => postsTo(team.id)[before])).body.attachments[0].content;
    const submit = findByType(form, "Action.Execute").find((action) => action.verb === "setup.submit");
    const pimRecord = await core.deps.stores.directory.personByIdentity("teams", TENANT, pim.aadObjectId);
    // The lead picker already offers nobody by an id.
    const response = await post(
      executeActivity(fake, pim, team, {
        verb: "setup.submit",
        data: {
          ...(submit?.data as Record<string, unknown>),
          name: "Wijken",
          phase: "explore",
          cadence: "elke 2 weken donderdag 15:00",
          lead: pimRecord?.id,
        },
      }),
    );
    expect(response.status).toBe(200);
    const project = await eventually(() => database.db.project.findFirst({ where: { name: "Wijken" } }));
    const people = await eventually(async () => {
      const rows = await database.db.membership.findMany({
        where: { projectId: project?.id, role: { in: ["member", "lead"] } },
        include: { person: true },
      });
      const byId = new Map(rows.map((row) => [row.personId, row.person]));
      return byId.size === 3 && byId;
    });
    expect([...people.values()].map((person) => person.displayName).sort()).toEqual([
      "Fatima El Amrani",
      "Kees Smit",
      "Pim de Vries",
    ]);
    expect(people.has(fatima.id)).toBe(true);
    expect(fake.rosterReads).toBeGreaterThanOrEqual(2);
    // Newcomers get their welcome in a one-to-one chat the bot opened with their roster id.
    for (const id of ["29:kees", "29:fatima"]) {
      const chat = `a:dm-${id}`;
      const sent = await eventually(() => postsTo(chat)[0]);
      expect(cardText(sent.body.attachments[0].content)).toContain(prompts.t("nl", "members.welcome.title"));
    }

    await post(messageActivity(fake, pim, team, "<at>Leerlus</at> retro nu"));
    for (const chat of ["a:dm-29:kees", "a:dm-29:fatima", "a:dm-29:pim"]) {
      await eventually(() =>
        postsTo(chat).find(
          (call) =>
            JSON.stringify(call.body).includes("retro.answer") || JSON.stringify(call.body).includes("retro.open"),
        ),
      );
    }
  });
});
