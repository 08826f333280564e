import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_IDS } from "../../src/persistence/demo-seed.ts";
import { evaluateCheckpoints } from "../../src/use-cases/evaluate-checkpoints.ts";
import { portfolioFor } from "../../src/use-cases/portfolio.ts";
import { axeViolations, launchBrowser, type TestBrowser } from "../support/browser.ts";
import { updateWhere } from "../support/fixtures.ts";
import { startWebApp, type WebApp } from "../support/web-app.ts";

// The portfolio page in headless Chromium: the web chat's session, the viewer's projects, axe-core clean.
describe("the portfolio page", () => {
  let app: WebApp;
  let core: WebApp["core"];
  let database: WebApp["database"];
  let base: string;
  let browser: TestBrowser;

  beforeAll(async () => {
    app = await startWebApp({
      pages: (deps) => ({
        portfolio: async (personId) => {
          const person = await deps.stores.directory.person(personId);
          return person ? portfolioFor(deps, person) : null;
        },
      }),
    });
    ({ core, database, base } = app);
    await evaluateCheckpoints(core.deps, DEMO_IDS.organisation);
    await updateWhere(
      database.db,
      "Checkpoint",
      { projectId: DEMO_IDS.pilot, mustMeet: true, key: "users-tested" },
      { status: "done" },
    );
    await updateWhere(
      database.db,
      "Checkpoint",
      { projectId: DEMO_IDS.pilot, key: "dpia-before-start" },
      { nudgesSent: 3 },
    );
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
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
    // Flags unanswered: every required checkpoint of the phase counts.
    expect(rows[0]?.[3]).toMatch(/^1 van \d+ \(\d+%\)$/);
    expect(rows[0]?.[4]).toBe("nog geen retro");
    expect(rows[0]?.[6]).toMatch(/vastgelopen/);
    // The demo's implementation is past the due date of its must-meet checkpoints: not on schedule.
    expect(rows[1]?.[6]).toMatch(/^\d+ verplichte toetspunten over tijd$/);
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
