import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebAdapter, type WebAdapter } from "../../adapters/web/create-web-adapter.ts";
import { createHttpApp } from "../../src/http-app.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import { createRedisNotifier, type RedisNotifier } from "../../src/persistence/redis-notifier.ts";
import { createWebDirectoryRepository } from "../../src/persistence/web-directory-repository.ts";
import { createWebMessageRepository } from "../../src/persistence/web-message-repository.ts";
import { silentLogger } from "../../src/ports/logger.ts";
import type { CycleRecord } from "../../src/ports/store.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { createLinkSigner } from "../../src/use-cases/signed-link.ts";
import { axeViolations, launchBrowser, type TestBrowser } from "../support/browser.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestCore, prompts, REDIS_URL } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

// The whole loop in the browser: real core, real web adapter, real queues, real page.
describe("the learning loop in the web chat", () => {
  let database: TestDatabase;
  let notifier: RedisNotifier;
  let web: WebAdapter;
  let core: ReturnType<typeof createTestCore>;
  let server: Server;
  let base: string;
  let browser: TestBrowser;

  beforeAll(async () => {
    database = await createTestDatabase();
    notifier = createRedisNotifier({ redisUrl: REDIS_URL, channel: `loop-${randomBytes(6).toString("hex")}` });
    web = createWebAdapter({
      store: createWebMessageRepository(database.db),
      notifier,
      directory: createWebDirectoryRepository(database.db),
      linkSigner: createLinkSigner("link-secret-for-the-loop-test-0123"),
      demo: true,
      text: (locale, key, vars) => prompts.t(locale, key, vars),
      sessionSecret: "session-secret-for-the-loop-test-01",
    });
    core = createTestCore(database, [web.adapter]);
    await web.adapter.start((event) => handleEvent(core.deps, event));
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
    const app = createHttpApp({ routers: [web.router], readiness: [], metrics: async () => "", logger: silentLogger });
    server = app.listen(0, "127.0.0.1");
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await web?.adapter.stop();
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await core?.close();
    await notifier?.close();
    await database?.drop();
  });

  it("a member answers the retro in the page and the summary appears live in the team channel", async () => {
    await advanceProject(core.deps, DEMO_IDS.pilot);
    const cycle = (await core.deps.stores.retro.latestCycle(DEMO_IDS.pilot)) as CycleRecord;
    // Three colleagues answer in their own chat; Lotte answers in the browser.
    for (const personId of [DEMO_IDS.sanne, DEMO_IDS.ahmed, DEMO_IDS.emma]) {
      const answers = Object.fromEntries(
        cycle.questions.nl.map((q) => [q.key, q.kind === "scale" ? "3" : `Antwoord over bewoners (${q.key})`]),
      );
      await handleEvent(core.deps, {
        type: "formSubmitted",
        platform: "web",
        tenantId: DEMO_IDS.organisation,
        platformUserId: personId,
        conversationRef: `web:dm:${personId}`,
        actionId: "retro.answer",
        value: cycle.id,
        answers,
      });
    }

    const page = await browser.context.newPage();
    await page.goto(`${base}/?as=${DEMO_IDS.lotte}`);
    expect(await page.locator("html").getAttribute("lang")).toBe("nl");
    await page.getByRole("button", { name: "Leerlus" }).click();
    await page.locator('body[data-live="true"]').waitFor();
    await page.getByRole("heading", { name: "Retro 1 van Slimme straatreiniging" }).waitFor();
    expect(await axeViolations(page)).toEqual([]);

    for (const question of cycle.questions.nl) {
      if (question.kind === "scale") {
        await page.getByRole("radio", { name: "4" }).first().check();
      } else {
        await page.getByLabel(question.text, { exact: false }).fill(`Lotte: ${question.key} met gebruikers`);
      }
    }
    await page.getByRole("button", { name: "Antwoorden versturen" }).click();
    await page.getByText(/je antwoorden zijn opgeslagen/).waitFor();

    // Everyone answered, so the cycle closes early; the summary arrives live in the channel.
    await page.getByRole("button", { name: "Slimme straatreiniging" }).click();
    await page.getByRole("heading", { name: "Samenvatting van retro 1 van Slimme straatreiniging" }).waitFor({
      timeout: 20_000,
    });
    await page.getByText("4 van de 4 hebben geantwoord.").waitFor();
    expect(await page.getByText(/Lotte: .* met gebruikers/).count()).toBeGreaterThan(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
    await eventually(async () => (await core.deps.stores.retro.cycle(cycle.id))?.status === "closed");
  });
});
