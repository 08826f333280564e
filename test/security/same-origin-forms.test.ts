import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_IDS } from "../../src/persistence/demo-seed.ts";
import { createLessonsPage } from "../../src/use-cases/lessons/lessons-page.ts";
import { launchBrowser, type TestBrowser } from "../support/browser.ts";
import { startWebApp, type WebApp } from "../support/web-app.ts";

// The pages' own forms, sent by Chromium through the whole HTTP app: its security headers
// (Referrer-Policy: no-referrer makes a browser send `Origin: null` on a form post) and its
// same-origin check together must let a page's own form through and still refuse other sites.
describe("a page's own form passes the same-origin check", () => {
  let app: WebApp;
  let browser: TestBrowser;

  beforeAll(async () => {
    app = await startWebApp({ lessons: true, pages: (deps) => ({ lessons: createLessonsPage(deps) }) });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it("saves a lesson added on /lessons", async () => {
    const page = await browser.context.newPage();
    await page.goto(`${app.base}/?as=${DEMO_IDS.sanne}`);
    await page.goto(`${app.base}/lessons`);
    await page.getByLabel("Les", { exact: true }).fill("Vraag de wijkagent vroeg om mee te denken.");
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST"),
      page.getByRole("button", { name: "Les bewaren" }).click(),
    ]);
    expect(response.status()).toBeLessThan(400);
    await page.waitForURL(/added=1/);
    await page.close();
  });

  it("still refuses the same form sent from another site", async () => {
    const response = await fetch(`${app.base}/lessons`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: "https://elders.example",
        "sec-fetch-site": "cross-site",
      },
      body: "text=Kwaadaardig",
    });
    expect(response.status).toBe(403);
  });
});
