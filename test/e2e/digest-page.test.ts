import { mkdirSync } from "node:fs";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { digestLink, digestLinkSigner } from "../../src/use-cases/digest/digest-link.ts";
import { axeViolations, launchBrowser, type TestBrowser } from "../support/browser.ts";
import { NOW, seedDigestOrganisation, storedDigest } from "../support/digest-seed.ts";
import { startDigestServer } from "../support/digest-server.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const SECRET = "e2e-secret-e2e-secret-e2e-secret!";

describe("the digest page in Chromium", () => {
  let database: TestDatabase;
  let server: Server;
  let browser: TestBrowser;
  let url: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const seed = await seedDigestOrganisation(database.db);
    const digestId = await storedDigest(database.db, seed.organisationId, NOW);
    const started = await startDigestServer(database.db, SECRET, () => NOW);
    server = started.server;
    const base = started.base;
    url = digestLink({
      signer: digestLinkSigner(SECRET),
      publicUrl: base,
      digestId,
      organisationId: seed.organisationId,
      personId: seed.adviserId,
      now: NOW,
    }).url;
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await database?.drop();
  });

  it("shows the charts as labelled SVG, passes axe-core and keeps a screenshot", async () => {
    const page = await browser.context.newPage();
    const response = await page.goto(url);
    expect(response?.status()).toBe(200);
    await expect(page.locator("h1").textContent()).resolves.toBe("Lesson digest for Gemeente Proef");
    const charts = page.locator('svg[role="img"]');
    expect(await charts.count()).toBe(2);
    for (const chart of await charts.all()) {
      const labelledBy = (await chart.getAttribute("aria-labelledby"))?.split(" ") ?? [];
      expect(labelledBy).toHaveLength(2);
      for (const id of labelledBy)
        expect((await page.locator(`[id="${id}"]`).textContent())?.length).toBeGreaterThan(10);
    }
    // Values carry their numbers, hidden ones say so: colour is never the only cue.
    expect(
      await page.locator('section[aria-labelledby="s-participation-over-time"] svg[role="img"]').textContent(),
    ).toContain("too few");
    expect(await page.locator('section[aria-labelledby="s-participation-over-time"]').textContent()).toContain("89");
    mkdirSync("test-results", { recursive: true });
    await page.screenshot({ path: "test-results/digest-page.png", fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(url.replace(/\/digests\/[^?]+/, "/digests"));
    expect(await page.locator("li a").count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
  }, 60_000);
});
