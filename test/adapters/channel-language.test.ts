import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { directRefFor, conversationRef as slackRef } from "../../adapters/slack/conversation-ref.ts";
import type { SlackAdapter } from "../../adapters/slack/create-slack-adapter.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { cardText } from "../support/adaptive-card-check.ts";
import { type FakeBotFramework, startFakeBotFramework } from "../support/fake-bot-framework.ts";
import { type FakeSlackApi, startFakeSlackApi } from "../support/fake-slack-api.ts";
import { firstWhere, insertRow } from "../support/fixtures.ts";
import { closeServer, listenApp } from "../support/listen-app.ts";
import { FORM, postSigned, slashCommandBody } from "../support/slack-requests.ts";
import { createTestSlackAdapter } from "../support/slack-test-adapter.ts";
import {
  channelConversation,
  channelPost,
  messageActivity,
  startTeamsServer,
  type TeamsPerson,
  type TeamsServer,
  teamsConfig,
} from "../support/teams-activities.ts";
import { postToTeams, setUpTeamsProject } from "../support/teams-setup.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestCore, prompts } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

// Issue #22, point 7: Slack and Teams show one channel message to everyone, so it follows the
// language the lead set for the project (`project language nl|en|both`); both languages come
// as two sections of one message. Direct messages stay in each person's own language.

const SECTION = { nl: prompts.t("nl", "channel-language.section"), en: prompts.t("en", "channel-language.section") };
/** The opening words of the "retro has started" notice, before its first placeholder. */
const STARTED = {
  nl: prompts
    .t("nl", "retro.opened.channel", { sequence: 1, invited: 2, count: 2, closes: "" })
    .split(":")[0] as string,
  en: prompts
    .t("en", "retro.opened.channel", { sequence: 1, invited: 2, count: 2, closes: "" })
    .split(":")[0] as string,
};

describe("the team channel's language in Slack", () => {
  const SECRET = "slack-signing-secret-for-tests";
  const TEAM = "T0TAAL";
  const SANNE = "USANNE";
  const EMMA = "UEMMA";
  let database: TestDatabase;
  let fake: FakeSlackApi;
  let slack: SlackAdapter;
  let core: ReturnType<typeof createTestCore>;
  let server: Server;
  let base: string;
  let seq = 0;

  const command = (userId: string, text: string, channelId: string) =>
    postSigned(
      `${base}/slack/events`,
      slashCommandBody({ teamId: TEAM, userId, channelId, text, responseUrl: fake.responseUrl(`cmd-${++seq}`) }),
      FORM,
      { secret: SECRET },
    );
  const answered = async (n: number) =>
    JSON.stringify(
      await eventually(() => fake.callsTo("respond").find((call) => call.args.responseUrlId === `cmd-${n}`)),
    );
  const postedTo = (channel: string) =>
    fake.callsTo("chat.postMessage").filter((call) => call.args.channel === channel);

  /** A project in a Slack channel, led by Sanne (Dutch) with Emma (English) as a member. */
  async function seedProject(organisationId: string, name: string, channel: string, people: Record<string, string>) {
    return database.prisma.project.create({
      data: {
        organisationId,
        name,
        phase: "pilot",
        cadence: { kind: "minutes", every: 600 },
        channels: { create: { platform: "slack", conversationRef: slackRef(TEAM, channel) } },
        memberships: {
          create: [
            { personId: people[SANNE] as string, role: "lead", discipline: "lead", sector: "government" },
            { personId: people[EMMA] as string, role: "member", discipline: "data-it", sector: "market" },
          ],
        },
      },
    });
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    fake = await startFakeSlackApi({ id: TEAM, name: "Gemeente Taal" });
    fake.users.set(SANNE, { id: SANNE, name: "Sanne Bakker", locale: "nl-NL" });
    fake.users.set(EMMA, { id: EMMA, name: "Emma Clarke", locale: "en-GB" });
    slack = createTestSlackAdapter(fake, database.db, {
      signingSecret: SECRET,
      botIdentity: { botId: "BLEERLUS", botUserId: "UBOTLEERLUS" },
    });
    core = createTestCore(database, [slack.adapter]);
    await slack.adapter.start((inbound) => handleEvent(core.deps, inbound));
    ({ server, base } = await listenApp({ rawRouters: [slack.router] }));

    const organisation = await insertRow(database.db, "Organisation", {
      name: "Gemeente Taal",
      locale: "nl",
      quietHoursEnd: 0,
      quietHoursStart: 24 * 60,
      quietWeekends: false,
    });
    const people: Record<string, string> = {};
    for (const [userId, name, locale] of [
      [SANNE, "Sanne Bakker", null],
      [EMMA, "Emma Clarke", "en"],
    ] as const) {
      const person = await database.prisma.person.create({
        data: {
          organisationId: organisation.id,
          displayName: name,
          locale,
          roles: ["member"],
          identities: {
            create: {
              platform: "slack",
              tenantId: TEAM,
              platformUserId: userId,
              conversationRef: directRefFor(TEAM, userId),
            },
          },
        },
      });
      people[userId] = person.id;
    }
    await seedProject(organisation.id, "Slimme straatreiniging", "C0ENGELS", people);
    await seedProject(organisation.id, "Woningbouwmonitor", "C0GEMENGD", people);
  });

  afterAll(async () => {
    await slack?.adapter.stop();
    await closeServer(server);
    await core?.close();
    await fake?.close();
    await database?.drop();
  });

  it("posts the channel message in English once the lead set the project to English; DMs stay personal", async () => {
    expect((await command(SANNE, "projecttaal", "C0ENGELS")).status).toBe(200);
    expect(await answered(seq)).toContain(
      prompts.t("nl", "project.language.now", { language: prompts.t("nl", "project.language.name.nl") }),
    );
    expect((await command(SANNE, "projecttaal en", "C0ENGELS")).status).toBe(200);
    expect(await answered(seq)).toContain(
      prompts.t("nl", "project.language.set", { language: prompts.t("nl", "project.language.name.en") }),
    );
    expect((await command(SANNE, "retro nu", "C0ENGELS")).status).toBe(200);

    const notice = await eventually(() => postedTo("C0ENGELS")[0]);
    const text = JSON.stringify(notice.args.blocks);
    expect(text).toContain(STARTED.en);
    expect(text).not.toContain(STARTED.nl);
    expect(String(notice.args.text)).toContain(STARTED.en);
    // The prompts to each person: Sanne's in Dutch, Emma's in English, whatever the channel reads.
    const promptHeading = (locale: "nl" | "en") =>
      prompts.t(locale, "retro.prompt.heading", { sequence: 1, project: "Slimme straatreiniging" });
    const dm = (userId: string) =>
      eventually(() => fake.callsTo("chat.postMessage").find((call) => String(call.args.channel).endsWith(userId)));
    expect(JSON.stringify((await dm(SANNE)).args.blocks)).toContain(promptHeading("nl"));
    expect(JSON.stringify((await dm(EMMA)).args.blocks)).toContain(promptHeading("en"));
  });

  it("posts both languages in one message, each in its own section, for a mixed team", async () => {
    expect((await command(SANNE, "projecttaal beide", "C0GEMENGD")).status).toBe(200);
    expect(await answered(seq)).toContain(
      prompts.t("nl", "project.language.set", { language: prompts.t("nl", "project.language.name.both") }),
    );
    expect((await command(SANNE, "retro nu", "C0GEMENGD")).status).toBe(200);

    const notices = await eventually(() => postedTo("C0GEMENGD").length > 0 && postedTo("C0GEMENGD"));
    expect(notices).toHaveLength(1);
    const text = JSON.stringify(notices[0]?.args.blocks);
    // Dutch first (the organisation's language), then English, each opened by its own label.
    const order = [SECTION.nl, STARTED.nl, SECTION.en, STARTED.en].map((part) => text.indexOf(part));
    expect(order.every((position) => position >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it("refuses a language it does not know, and a member may not change it", async () => {
    expect((await command(SANNE, "projecttaal frans", "C0GEMENGD")).status).toBe(200);
    expect(await answered(seq)).toContain(prompts.t("nl", "project.language.unclear"));
    expect((await command(EMMA, "project language nl", "C0GEMENGD")).status).toBe(200);
    expect(await answered(seq)).toContain(prompts.t("en", "errors.lead-only"));
    const project = await firstWhere(database.db, "Project", { name: "Woningbouwmonitor" });
    expect(project?.language).toBe("both");
  });
});

describe("the team channel's language in Teams", () => {
  const TENANT = "tenant-gemeente-taal";
  const pim: TeamsPerson = { aadObjectId: "aad-pim-taal", name: "Pim de Vries", tenantId: TENANT };
  let database: TestDatabase;
  let fake: FakeBotFramework;
  let server: TeamsServer;
  let core: ReturnType<typeof createTestCore>;

  beforeAll(async () => {
    database = await createTestDatabase();
    fake = await startFakeBotFramework();
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

  /** The lead sets the project's language in its channel, then starts a retro; returns the channel's notice. */
  async function retroIn(teamId: string, name: string, language: string): Promise<string> {
    const setup = { fake, server, core, database };
    await setUpTeamsProject(setup, pim, teamId, name);
    const channel = channelConversation(teamId).id;
    const say = async (messageId: string, text: string) => {
      const post = channelPost(teamId, messageId);
      await postToTeams(setup, messageActivity(fake, pim, post, `<at>Leerlus</at> ${text}`));
      const reply = await eventually(() => fake.calls.find((call) => call.conversationId === post.id));
      return cardText(reply.body.attachments[0].content);
    };
    expect(await say(`${teamId}-1`, `projecttaal ${language}`)).toContain(
      prompts.t("nl", "project.language.set", { language: "" }).slice(0, 30),
    );
    await say(`${teamId}-2`, "retro nu");
    const notice = await eventually(() =>
      fake.calls.find(
        (call) => call.conversationId === channel && cardText(call.body.attachments?.[0]?.content).includes("Retro 1"),
      ),
    );
    return cardText(notice.body.attachments[0].content);
  }

  it("sends the channel card in the project's language", async () => {
    const text = await retroIn("engels", "Innovatieteam wijken", "en");
    expect(text).toContain(STARTED.en);
    expect(text).not.toContain(STARTED.nl);
  });

  it("sends one card with a Dutch and an English section for a bilingual project", async () => {
    const text = await retroIn("gemengd", "Slimme sensoren", "beide");
    const order = [SECTION.nl, STARTED.nl, SECTION.en, STARTED.en].map((part) => text.indexOf(part));
    expect(order.every((position) => position >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const cards = fake.calls.filter(
      (call) =>
        call.conversationId === channelConversation("gemengd").id &&
        cardText(call.body.attachments?.[0]?.content).includes(STARTED.en),
    );
    expect(cards).toHaveLength(1);
  });
});
