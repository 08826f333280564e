import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SlackAdapter } from "../../adapters/slack/create-slack-adapter.ts";
import { createWebAdapter, type WebAdapter } from "../../adapters/web/create-web-adapter.ts";
import { createDigestRouter } from "../../adapters/web/digest-page.ts";
import { DEFAULT_CADENCE } from "../../src/domain/cadence.ts";
import { createWebDirectoryRepository } from "../../src/persistence/web-directory-repository.ts";
import { createWebMessageRepository } from "../../src/persistence/web-message-repository.ts";
import { createDigestServices } from "../../src/runtime/digest-services.ts";
import { deriveKey } from "../../src/runtime/secrets.ts";
import { createRedisNotifier, type RedisNotifier } from "../../src/scheduler/redis-notifier.ts";
import { composeDigest } from "../../src/use-cases/digest/compose-digest.ts";
import { digestLinkSigner } from "../../src/use-cases/digest/digest-link.ts";
import { handleEventSafely } from "../../src/use-cases/handle-event-safely.ts";
import { homeViewFor } from "../../src/use-cases/home-view.ts";
import { createLessonsPage } from "../../src/use-cases/lessons/lessons-page.ts";
import { portfolioFor } from "../../src/use-cases/portfolio.ts";
import { erasePersonalData } from "../../src/use-cases/privacy.ts";
import { runCommand } from "../../src/use-cases/run-command.ts";
import { createLinkSigner } from "../../src/use-cases/signed-link.ts";
import { webCommand } from "../../src/use-cases/web-command.ts";
import { launchBrowser, type TestBrowser } from "../support/browser.ts";
import { type FakeSlackApi, startFakeSlackApi } from "../support/fake-slack-api.ts";
import { insertRow } from "../support/fixtures.ts";
import { closeServer, listenApp } from "../support/listen-app.ts";
import { eventBody, FORM, JSON_TYPE, postSigned, slashCommandBody } from "../support/slack-requests.ts";
import { createTestSlackAdapter } from "../support/slack-test-adapter.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestCore, prompts, REDIS_URL } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const SIGNING_SECRET = "slack-signing-secret-for-link-tests";
const TEAM = "T0LINKS";
const CHANNEL = "C0TEAM";
const DAY = 24 * 60 * 60 * 1000;
const USERS = { sanne: "USANNE", karin: "UKARIN", joost: "UJOOST", piet: "UPIET" } as const;
type Who = keyof typeof USERS;

// People who know Leerlus only from Slack ask for a page in chat (real Bolt over signed HTTP)
// and open the link they get in headless Chromium: the web pages must recognise them.
describe("signed links from chat into the web pages", () => {
  let database: TestDatabase;
  let fake: FakeSlackApi;
  let slack: SlackAdapter;
  let web: WebAdapter;
  let notifier: RedisNotifier;
  let core: ReturnType<typeof createTestCore>;
  let server: Server;
  let base: string;
  let browser: TestBrowser;
  const ids = {} as Record<Who, string>;
  let seq = 0;

  /** A slash command from a Slack user; resolves to the text of Leerlus's (ephemeral) reply. */
  async function command(who: Who, text: string): Promise<string> {
    const id = `cmd-${++seq}`;
    const body = slashCommandBody({
      teamId: TEAM,
      userId: USERS[who],
      channelId: CHANNEL,
      text,
      responseUrl: fake.responseUrl(id),
    });
    const response = await postSigned(`${base}/slack/events`, body, FORM, { secret: SIGNING_SECRET });
    expect(response.status).toBe(200);
    const call = await eventually(() =>
      fake.callsTo("respond").find((candidate) => candidate.args.responseUrlId === id),
    );
    return JSON.stringify(call.args);
  }

  /** The links to Leerlus's public URL in a reply, pointed at this test's server. */
  function links(reply: string): string[] {
    const found = reply.match(/http:\/\/127\.0\.0\.1:0\/[^\s"<>|\\]*/g) ?? [];
    return found.map((link) => link.replace("http://127.0.0.1:0", base));
  }

  function tokenLink(reply: string): string {
    const link = links(reply).find((candidate) => candidate.includes("token="));
    expect(link, `a signed link in ${reply.slice(0, 300)}`).toBeDefined();
    return link as string;
  }

  async function open(link: string) {
    const page = await browser.context.newPage();
    const response = await page.goto(link);
    return { page, response };
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    fake = await startFakeSlackApi({ id: TEAM, name: "Gemeente Linkdam" });
    notifier = createRedisNotifier({ redisUrl: REDIS_URL, channel: `web-${randomBytes(6).toString("hex")}` });
    let deps: ReturnType<typeof createTestCore>["deps"] | undefined;
    const clockNow = () => (deps ? deps.clock.now() : new Date());
    const lessonsPage = () => createLessonsPage(deps as NonNullable<typeof deps>);
    web = createWebAdapter({
      store: createWebMessageRepository(database.db),
      notifier,
      directory: createWebDirectoryRepository(database.db),
      // As src/main.ts wires it, from the same LEERLUS_SECRET as the core.
      linkSigner: createLinkSigner(deriveKey("test-secret-test-secret-test-secret!", "web-link")),
      demo: false,
      text: (locale, key, vars) => prompts.t(locale, key, vars),
      sessionSecret: deriveKey("test-secret-test-secret-test-secret!", "web-session"),
      now: clockNow,
      portfolio: async (personId) => {
        const person = deps ? await deps.stores.directory.person(personId) : null;
        return person && deps ? portfolioFor(deps, person) : null;
      },
      // The core needs the adapters first; the page reads its dependencies when asked.
      lessons: {
        search: (...args) => lessonsPage().search(...args),
        download: (...args) => lessonsPage().download(...args),
        add: (...args) => lessonsPage().add(...args),
        lesson: (...args) => lessonsPage().lesson(...args),
        edit: (...args) => lessonsPage().edit(...args),
      },
    });
    slack = createTestSlackAdapter(fake, database.db, {
      signingSecret: SIGNING_SECRET,
      homeView: async (who) => (deps ? homeViewFor(deps, { platform: "slack", ...who }) : null),
    });
    core = createTestCore(database, [web.adapter, slack.adapter]);
    deps = core.deps;
    for (const adapter of [web.adapter, slack.adapter]) {
      await adapter.start((event) => handleEventSafely(core.deps, event));
    }
    const digests = createDigestServices({ db: database.db, prompts });
    const digestRouter = createDigestRouter({
      signer: digestLinkSigner("test-secret-test-secret-test-secret!"),
      digest: digests.digest,
      list: digests.list,
      person: digests.person,
      view: digests.viewOf,
      markdown: digests.markdown,
      pdf: digests.pdf,
      text: (locale, key, vars) => prompts.t(locale, key, vars),
      now: clockNow,
    });
    ({ server, base } = await listenApp({ routers: [web.router, digestRouter], rawRouters: [slack.router] }));

    // An organisation that knows its people only from Slack: nobody has a web identity.
    const organisation = await insertRow(database.db, "Organisation", { name: "Gemeente Linkdam", locale: "nl" });
    await insertRow(database.db, "Install", { organisationId: organisation.id, platform: "slack", tenantId: TEAM });
    const names: Record<Who, [string, string[]]> = {
      sanne: ["Sanne Slack", ["member"]],
      karin: ["Karin Slack", ["member"]],
      joost: ["Joost Slack", ["member", "adviser"]],
      piet: ["Piet Slack", ["member"]],
    };
    for (const who of Object.keys(USERS) as Who[]) {
      const [displayName, roles] = names[who];
      const person = await database.prisma.person.create({
        data: {
          organisationId: organisation.id,
          displayName,
          roles,
          identities: {
            create: {
              platform: "slack",
              tenantId: TEAM,
              platformUserId: USERS[who],
              conversationRef: `slack:${TEAM}:${USERS[who]}:D${USERS[who]}`,
            },
          },
        },
      });
      ids[who] = person.id;
    }
    const project = await database.prisma.project.create({
      data: {
        organisationId: organisation.id,
        name: "Slimme straten",
        phase: "pilot",
        cadence: DEFAULT_CADENCE,
        channels: { create: { platform: "slack", conversationRef: `slack:${TEAM}:${CHANNEL}` } },
        memberships: {
          create: [
            { personId: ids.sanne, role: "lead" },
            { personId: ids.piet, role: "member" },
            { personId: ids.karin, role: "manager" },
          ],
        },
      },
    });
    await insertRow(database.db, "Lesson", {
      organisationId: organisation.id,
      projectId: project.id,
      phase: "pilot",
      text: "Bewoners vroeg betrekken voorkomt verrassingen",
      themes: [],
      disciplines: [],
      source: "manual",
      visibility: "organisation",
    });
    const now = core.clock.now();
    const periodStart = new Date(now.getTime() - 7 * DAY);
    const content = await composeDigest({
      stores: core.deps.stores,
      prompts,
      organisationId: organisation.id,
      periodStart,
      periodEnd: now,
      minGroupSize: 3,
    });
    await core.deps.stores.digests.create({
      organisationId: organisation.id,
      audience: "advisers",
      periodStart,
      periodEnd: now,
      content,
    });
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await slack?.adapter.stop();
    await web?.adapter.stop();
    await closeServer(server);
    await core?.close();
    await notifier?.close();
    await fake?.close();
    await database?.drop();
  });

  it("`web` is listed in help", async () => {
    expect(await command("sanne", "help")).toContain(prompts.t("nl", "help.commands.web"));
  });

  it("`web` gives a Slack member a link that signs them in to the web chat, which then knows them", async () => {
    const link = tokenLink(await command("sanne", "web"));
    const { page, response } = await open(link);
    expect(response?.status()).toBe(200);
    // Signed in and redirected: the token is gone from the address bar (the page may add a #fragment).
    expect(page.url().split("#")[0]).toBe(`${base}/`);
    expect(await page.textContent(".signed-in")).toContain("Sanne Slack");
    await page.click(".conversation-link");
    await page.fill("#composer-input", "help");
    await page.click("#composer button[type=submit]");
    await page.waitForSelector(`text=${prompts.t("nl", "help.title")}`);
    const log = (await page.textContent("#messages")) ?? "";
    expect(log).not.toContain("Ik ken je nog niet");
    expect(log).toContain(prompts.t("nl", "help.title"));
    await page.close();
  }, 30_000);

  it("a manager's `portfolio` reply links to their own portfolio page", async () => {
    const link = tokenLink(await command("karin", "portefeuille"));
    const { page, response } = await open(link);
    expect(response?.status()).toBe(200);
    expect(page.url()).toBe(`${base}/portfolio`);
    expect(await page.textContent("caption")).toBe("Projecten waarvan je manager bent, per fase");
    expect(await page.textContent("tbody th[scope=row]")).toBe("Slimme straten");
    await page.close();
  }, 30_000);

  it("the `lessons` reply links to the lessons page for that person", async () => {
    const link = tokenLink(await command("piet", "lessen bewoners"));
    const { page, response } = await open(link);
    expect(response?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe("/lessons");
    expect(page.url()).not.toContain("token=");
    expect(await page.textContent("main")).toContain("Bewoners vroeg betrekken voorkomt verrassingen");
    await page.close();
  }, 30_000);

  it("an adviser's `digest` reply opens the digest page", async () => {
    const reply = await command("joost", "overzicht");
    const link = links(reply).find((candidate) => candidate.includes("/digests/"));
    expect(link).toBeDefined();
    const { page, response } = await open(link as string);
    expect(response?.status()).toBe(200);
    expect(await page.textContent("h1")).toContain("Gemeente Linkdam");
    await page.close();
  }, 30_000);

  it("the Slack Home tab carries the person's own link to the web pages", async () => {
    const before = fake.callsTo("views.publish").length;
    const body = eventBody({
      teamId: TEAM,
      eventId: "EvHomeLinks",
      event: { type: "app_home_opened", user: USERS.karin, tab: "home" },
    });
    expect((await postSigned(`${base}/slack/events`, body, JSON_TYPE, { secret: SIGNING_SECRET })).status).toBe(200);
    const call = await eventually(() => fake.callsTo("views.publish")[before]);
    const link = tokenLink(JSON.stringify(call.args));
    const { page } = await open(link);
    expect(await page.textContent(".signed-in")).toContain("Karin Slack");
    await page.close();
  }, 30_000);

  it("a link shows what its own person may see, not another's", async () => {
    // Piet (a member) signs in over Karin's session: the portfolio is refused for him.
    const karin = await open(tokenLink(await command("karin", "portefeuille")));
    await karin.page.close();
    const piet = await open(tokenLink(await command("piet", "web")));
    expect(await piet.page.textContent(".signed-in")).toContain("Piet Slack");
    const portfolio = await piet.page.goto(`${base}/portfolio`);
    expect(portfolio?.status()).toBe(403);
    await piet.page.close();
  }, 30_000);

  it("a changed link gets a clear page in the person's language, and no session", async () => {
    const link = new URL(tokenLink(await command("sanne", "web")));
    const token = link.searchParams.get("token") as string;
    const [body = "", signature = ""] = token.split(".");
    const claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, p: ids.karin })).toString("base64url");
    for (const changed of [`${forged}.${signature}`, `${body}.${signature.slice(0, -2)}xx`, "garbage"]) {
      link.searchParams.set("token", changed);
      const response = await fetch(link, { redirect: "manual", headers: { "accept-language": "nl" } });
      expect([401, 403]).toContain(response.status);
      expect(response.headers.get("content-type")).toMatch(/text\/html/);
      expect(response.headers.get("set-cookie")).toBeNull();
      expect(await response.text()).toContain(prompts.t("nl", "web.auth.linkInvalid"));
    }
  });

  it("an expired link says so, and a new `web` works again", async () => {
    const link = tokenLink(await command("sanne", "web"));
    core.clock.advance(8 * DAY);
    try {
      const response = await fetch(link, { redirect: "manual", headers: { "accept-language": "nl" } });
      expect([401, 403]).toContain(response.status);
      expect(response.headers.get("content-type")).toMatch(/text\/html/);
      expect(response.headers.get("set-cookie")).toBeNull();
      expect(await response.text()).toContain(prompts.t("nl", "web.auth.linkExpired"));
      const fresh = await fetch(tokenLink(await command("sanne", "web")), { redirect: "manual" });
      expect(fresh.status).toBe(303);
    } finally {
      core.clock.advance(-8 * DAY);
    }
  });

  it("no personal link where others read along (a Teams channel): only in a direct chat", async () => {
    const person = await core.deps.stores.directory.person(ids.karin);
    const channel = { platform: "teams" as const, conversationRef: "teams-channel-of-the-project" };
    const replies = JSON.stringify([
      ...(await webCommand(core.deps, person as NonNullable<typeof person>, channel)),
      ...(await runCommand(core.deps, person as NonNullable<typeof person>, "portfolio", channel)),
      ...(await runCommand(core.deps, person as NonNullable<typeof person>, "lessons bewoners", channel)),
    ]);
    expect(replies).not.toContain("token=");
    expect(replies).toContain(prompts.t("nl", "weblink.direct-only"));
  });

  it("a link whose person was erased fails cleanly", async () => {
    const link = tokenLink(await command("piet", "web"));
    await erasePersonalData(core.deps, ids.piet, ids.piet);
    const response = await fetch(link, { redirect: "manual", headers: { "accept-language": "nl" } });
    expect([401, 403]).toContain(response.status);
    expect(response.headers.get("content-type")).toMatch(/text\/html/);
    expect(response.headers.get("set-cookie")).toBeNull();
    expect(await response.text()).toContain(prompts.t("nl", "web.auth.linkInvalid"));
  });
});
