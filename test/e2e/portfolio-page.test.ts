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
import { evaluateCheckpoints } from "../../src/use-cases/evaluate-checkpoints.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { portfolioFor } from "../../src/use-cases/portfolio.ts";
import { createLinkSigner } from "../../src/use-cases/signed-link.ts";
import { axeViolations, launchBrowser, type TestBrowser } from "../support/browser.ts";
import { createTestCore, prompts, REDIS_URL } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

// The portfolio page in headless Chromium: the web chat's session, the viewer's projects, axe-core clean.
describe("the portfolio page", () => {
  let database: TestDatabase;
  let notifier: RedisNotifier;
  let web: WebAdapter;
  let core: ReturnType<typeof createTestCore>;
  let server: Server;
  let base: string;
  let browser: TestBrowser;

  beforeAll(async () => {
    database = await createTestDatabase();
    notifier = createRedisNotifier({ redisUrl: REDIS_URL, channel: `portfolio-${randomBytes(6).toString("hex")}` });
    let deps: ReturnType<typeof createTestCore>["deps"] | undefined;
    web = createWebAdapter({
      store: createWebMessageRepository(database.db),
      notifier,
      directory: createWebDirectoryRepository(database.db),
      linkSigner: createLinkSigner("link-secret-for-the-portfolio-test"),
      demo: true,
      text: (locale, key, vars) => prompts.t(locale, key, vars),
      sessionSecret: "session-secret-for-the-portfolio-01",
      portfolio: async (personId) => {
        const person = deps ? await deps.stores.directory.person(personId) : null;
        return person && deps ? portfolioFor(deps, person) : null;
      },
    });
    core = createTestCore(database, [web.adapter]);
    deps = core.deps;
    await web.adapter.start((event) => handleEvent(core.deps, event));
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
    await evaluateCheckpoints(core.deps, DEMO_IDS.organisation);
    await database.db.checkpoint.updateMany({
      where: { projectId: DEMO_IDS.pilot, mustMeet: true, key: "users-tested" },
      data: { status: "done" },
    });
    await database.db.checkpoint.updateMany({
      where: { projectId: DEMO_IDS.pilot, key: "dpia-done" },
      data: { nudgesSent: 3 },
    });
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

  it("needs a session", async () => {
    const response = await fetch(`${base}/portfolio`);
    expect(response.status).toBe(401);
  });

  it("shows a manager their projects by phase in an accessible table", async () => {
    const page = await browser.context.newPage();
    await page.goto(`${base}/?as=${DEMO_IDS.karin}`);
    await page.goto(`${base}/portfolio`);
    expect(await page.getAttribute("html", "lang")).toBe("nl");
    expect(await page.textContent("caption")).toBe("Projecten waarvan je manager bent, per fase");
    const rows = await page.$$eval("tbody tr", (trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll("th, td"), (cell) => cell.textContent?.trim())),
    );
    expect(rows.map((row) => row[0])).toEqual(["Slimme straatreiniging", "Woningbouwmonitor"]);
    expect(rows[0]?.[1]).toBe("pilot");
    expect(rows[0]?.[2]).toBe("160 van 180 dagen");
    expect(rows[0]?.[3]).toMatch(/^1 van 5 \(20%\)$/);
    expect(rows[0]?.[4]).toBe("nog geen retro");
    expect(rows[0]?.[6]).toMatch(/vastgelopen/);
    expect(rows[1]?.[6]).toBe("op schema");
    expect(await page.$$eval("thead th[scope=col]", (ths) => ths.length)).toBe(7);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it("refuses a member", async () => {
    const page = await browser.context.newPage();
    await page.goto(`${base}/?as=${DEMO_IDS.lotte}`);
    const response = await page.goto(`${base}/portfolio`);
    expect(response?.status()).toBe(403);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });
});
