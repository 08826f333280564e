import { mkdirSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDigestRouter } from "../../adapters/web/digest-page.ts";
import { createDigestServices } from "../../src/runtime/digest-services.ts";
import { digestLink, digestLinkSigner } from "../../src/use-cases/digest/digest-link.ts";
import { axeViolations, launchBrowser, type TestBrowser } from "../support/browser.ts";
import { NOW, seedDigestOrganisation, storedDigest } from "../support/digest-seed.ts";
import { prompts } from "../support/test-core.ts";
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
    const services = createDigestServices({ db: database.db, prompts });
    const app = express();
    app.use(
      createDigestRouter({
        signer: digestLinkSigner(SECRET),
        ...services.page,
        text: (locale, key, vars) => prompts.t(locale, key, vars),
        now: () => NOW,
      }),
    );
    server = await new Promise<Server>((resolve) => {
      const started = app.listen(0, "127.0.0.1", () => resolve(started));
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
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
