import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import express from "express";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebAdapter, type WebAdapter } from "../../adapters/web/create-web-adapter.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import { createWebDirectoryRepository } from "../../src/persistence/web-directory-repository.ts";
import { createWebMessageRepository } from "../../src/persistence/web-message-repository.ts";
import { createRedisNotifier, type RedisNotifier } from "../../src/scheduler/redis-notifier.ts";
import { createLessonsPage } from "../../src/use-cases/lessons/lessons-page.ts";
import { createLinkSigner } from "../../src/use-cases/signed-link.ts";
import { axeViolations, launchBrowser, type TestBrowser } from "../support/browser.ts";
import { countWhere, insertRow, oneWhere } from "../support/fixtures.ts";
import { closeServer } from "../support/listen-app.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { createTestCore, prompts, REDIS_URL } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

let database: TestDatabase;
let core: ReturnType<typeof createTestCore>;
let notifier: RedisNotifier;
let web: WebAdapter;
let server: ReturnType<ReturnType<typeof express>["listen"]>;
let base: string;
let browser: TestBrowser;
let context: BrowserContext;

beforeAll(async () => {
  database = await createTestDatabase();
  core = createTestCore(database, [createRecordingAdapter("web")]);
  await seedDemo(database.db, { now: core.clock.now(), fast: false });
  await insertRow(database.db, "Lesson", {
    organisationId: DEMO_IDS.organisation,
    projectId: DEMO_IDS.pilot,
    phase: "pilot",
    text: "Alleen het pilotteam: <script>alert(1)</script> sensoren eerst testen.",
    themes: ["technology"],
    visibility: "team",
    source: "manual",
  });
  notifier = createRedisNotifier({
    redisUrl: REDIS_URL,
    channel: `leerlus-test-lessons-${randomBytes(6).toString("hex")}`,
  });
  web = createWebAdapter({
    store: createWebMessageRepository(database.db),
    notifier,
    directory: createWebDirectoryRepository(database.db),
    linkSigner: createLinkSigner("link-secret-for-e2e-tests-012345"),
    demo: true,
    text: (locale, key, vars) => prompts.t(locale, key, vars),
    sessionSecret: "session-secret-for-e2e-tests-0123",
    lessons: createLessonsPage(core.deps),
  });
  const app = express();
  app.use(web.router);
  server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
  context = browser.context;
});

afterAll(async () => {
  await browser?.close();
  await web?.adapter.stop();
  await closeServer(server);
  await notifier?.close();
  await core?.close();
  await database?.drop();
});

describe("lessons page in Chromium", () => {
  it("needs the signed session", async () => {
    const response = await fetch(`${base}/lessons`);
    expect(response.status).toBe(401);
    expect((await fetch(`${base}/lessons/export?format=csv`)).status).toBe(401);
  });

  it("searches with filters, is axe-clean, and respects team visibility", async () => {
    const page = await context.newPage();
    await page.goto(`${base}/?as=${DEMO_IDS.sanne}`);
    await page.goto(`${base}/lessons`);
    expect(await page.locator("html").getAttribute("lang")).toBe("nl");
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel("Zoekwoorden").fill("gebruikers");
    await page.getByRole("button", { name: "Zoeken" }).click();
    await page.waitForURL(/q=gebruikers/);
    await expect.poll(() => page.locator("ol.lessons").textContent()).toContain("Betrek gebruikers");
    expect(await page.locator("ol.lessons").textContent()).not.toContain("Regel de DPIA");
    await page.goto(`${base}/lessons?q=sensoren`);
    const text = await page.locator("ol.lessons").textContent();
    expect(text).toContain("<script>alert(1)</script>");
    expect(await axeViolations(page)).toEqual([]);
    // Mark is not in the pilot team.
    await page.goto(`${base}/?as=${DEMO_IDS.mark}`);
    await page.goto(`${base}/lessons?q=sensoren`);
    expect(await page.locator("main").textContent()).not.toContain("Alleen het pilotteam");
    await page.close();
  });

  it("downloads the results, adds a lesson and lets the lead edit it", async () => {
    const page = await context.newPage();
    await page.goto(`${base}/?as=${DEMO_IDS.sanne}`);
    await page.goto(`${base}/lessons?theme=data-ethics-privacy`);
    const href = await page.getByRole("link", { name: "CSV" }).getAttribute("href");
    const csv = await page.evaluate(async (url) => (await fetch(url as string)).text(), href);
    expect(csv.split("\r\n")[0]).toMatch(/^text,context,recommendation,project,phase/);
    expect(csv).toContain("Regel de DPIA");
    expect(csv).not.toContain("Betrek gebruikers");
    expect(csv).not.toMatch(/Sanne|Lotte/);

    await page.goto(`${base}/lessons`);
    await page.getByLabel("Les", { exact: true }).fill("Nodig de wijkagent uit bij de eerste sessie met inwoners.");
    await page.getByLabel("Aanbeveling voor andere teams").fill("Plan het vroeg.");
    await page.getByRole("button", { name: "Les bewaren" }).click();
    await page.waitForURL(/added=1/);
    const saved = await database.db
      .selectFrom("Lesson")
      .selectAll()
      .where("text", "like", "Nodig de wijkagent%")
      .executeTakeFirstOrThrow();
    expect(saved).toMatchObject({ source: "manual", recommendation: "Plan het vroeg.", projectId: DEMO_IDS.pilot });
    expect(saved.themes).toContain("user-involvement");

    await page.goto(`${base}/lessons/${saved.id}/edit`);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel("Les", { exact: true }).fill("Nodig de wijkagent uit bij de eerste sessie.");
    await page.getByLabel("Alleen het team").check();
    await page.getByRole("button", { name: "Les bewaren" }).click();
    await page.waitForURL(/saved=1/);
    const edited = await oneWhere(database.db, "Lesson", { id: saved.id });
    expect(edited).toMatchObject({ text: "Nodig de wijkagent uit bij de eerste sessie.", visibility: "team" });
    expect(await countWhere(database.db, "LessonRevision", { lessonId: saved.id })).toBe(1);

    // A member who is not the lead cannot edit it.
    await page.goto(`${base}/?as=${DEMO_IDS.lotte}`);
    const refused = await page.goto(`${base}/lessons/${saved.id}/edit`);
    expect(refused?.status()).toBe(404);
    await page.close();
  });
});
