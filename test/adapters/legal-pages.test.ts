import { mkdirSync } from "node:fs";
import type { Server } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Router } from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLegalPagesRouter } from "../../adapters/web/legal-pages.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import { createPrivacyStatementRepository } from "../../src/persistence/privacy-statement-repository.ts";
import { silentLogger } from "../../src/ports/logger.ts";
import { legalPages } from "../../src/use-cases/legal-pages.ts";
import { axeViolations, launchBrowser, type TestBrowser } from "../support/browser.ts";
import { updateWhere } from "../support/fixtures.ts";
import { closeServer, listenApp } from "../support/listen-app.ts";
import { runCliInProcess } from "../support/run-cli.ts";
import { prompts, TEST_SECRET } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const HOSTILE = `<script>alert("x")</script><b>Gemeente</b> & "Co"`;

// The pages the Teams manifest links, through the shared HTTP app (security headers included).
describe("GET /privacy and /terms", () => {
  let database: TestDatabase;
  let server: Server;
  let base: string;

  const get = (pathAndQuery: string, language = "nl-NL,nl;q=0.9") =>
    fetch(`${base}${pathAndQuery}`, { headers: { "accept-language": language } });
  const text = async (response: Response) => (await response.text()).replace(/\s+/g, " ");

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedDemo(database.db, { now: new Date("2026-12-07T09:00:00Z"), fast: true });
    await updateWhere(
      database.db,
      "Organisation",
      { id: DEMO_IDS.organisation },
      { retentionMonths: 18, minGroupSize: 4 },
    );
    const statements = createPrivacyStatementRepository(database.db);
    // The stylesheet the web chat serves, for the screenshots.
    const assets = Router().get("/web/app.css", (_request, response) =>
      response.sendFile("app.css", { root: path.join(ROOT, "adapters/web/assets") }),
    );
    ({ server, base } = await listenApp({
      routers: [
        assets,
        createLegalPagesRouter({
          page: legalPages(prompts, statements),
          text: (locale, key) => prompts.t(locale, key),
          logger: silentLogger,
        }),
      ],
    }));
  });

  afterAll(async () => {
    await closeServer(server);
    await database?.drop();
  });

  it("serve real HTML pages with the security headers, in Dutch or English", async () => {
    for (const page of ["/privacy", "/terms"]) {
      const response = await get(page);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/html/);
      expect(response.headers.get("content-security-policy")).toContain("default-src 'self'");
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      const html = await text(response);
      expect(html).toMatch(/^<!doctype html> <html lang="nl">/);
      const title = prompts.t("nl", page === "/privacy" ? "legal.privacy.title" : "legal.terms.title");
      expect(html).toContain(`<h1>${title}</h1>`);
    }
    expect(await text(await get("/privacy", "en-GB,en;q=0.9"))).toContain(`<h1>Leerlus privacy statement</h1>`);
    expect(await text(await get("/privacy?lang=en"))).toContain('<html lang="en">');
    expect(await text(await get("/terms?lang=nl", "en"))).toContain(prompts.t("nl", "legal.terms.title"));
  });

  it("says clearly which parts the organisation has not filled in yet", async () => {
    const html = await text(await get("/privacy"));
    expect(html).toContain(
      prompts.t("nl", "legal.incomplete", {
        fields: ["controller", "controllerContact", "dpoContact", "legalBasis", "processors"]
          .map((field) => prompts.t("nl", `legal.field.${field}`))
          .join(", "),
      }),
    );
    expect(html).toContain(prompts.t("nl", "legal.not-filled", { field: "Functionaris gegevensbescherming (FG)" }));
    expect(html.split("nog niet ingevuld door de organisatie").length - 1).toBe(5);
  });

  it("builds the statement from the organisation's settings, with its text inert", async () => {
    const statements = createPrivacyStatementRepository(database.db);
    await statements.update(DEMO_IDS.organisation, {
      controller: HOSTILE,
      controllerContact: "privacy@gemeente-demo.nl, Postbus 1, 1000 AA Demostad",
      dpoContact: "fg@gemeente-demo.nl",
      legalBasis: "Algemeen belang (artikel 6, lid 1, onder e AVG)",
      processors: "Hostingbedrijf B.V. (servers in Nederland)",
    });
    const html = await text(await get(`/privacy?organisation=${DEMO_IDS.organisation}`));
    expect(html).not.toContain("legal-incomplete");
    expect(html).not.toContain("nog niet ingevuld door de organisatie");
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<b>Gemeente");
    expect(html).toContain(
      "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;Gemeente&lt;/b&gt; &amp; &quot;Co&quot;",
    );
    for (const part of [
      "verwerkingsverantwoordelijke",
      "fg@gemeente-demo.nl",
      "Algemeen belang (artikel 6, lid 1, onder e AVG)",
      "Hostingbedrijf B.V.",
      "18 maanden",
      "30 dagen",
      "minder dan 4 personen",
      "Typ in de chat met Leerlus het woord privacy",
      'href="https://autoriteitpersoonsgegevens.nl"',
      "Autoriteit Persoonsgegevens",
    ]) {
      expect(html).toContain(part);
    }
    const english = await text(await get("/privacy?lang=en"));
    expect(english).toContain("18 months");
    expect(english).toContain('data protection officer: <span class="user-text">fg@gemeente-demo.nl</span>');
    const terms = await text(await get("/terms"));
    expect(terms).toContain("privacy@gemeente-demo.nl");
    expect(terms).toContain('href="/privacy"');
  });

  it("answers an unknown organisation with 404, never 500", async () => {
    for (const query of ["00000000-0000-4000-8000-000000000000", "nonsense", "%3Cscript%3E"]) {
      const response = await get(`/privacy?organisation=${query}`);
      expect(response.status).toBe(404);
      expect(await text(response)).toContain(prompts.t("nl", "legal.unknown-organisation.title"));
    }
  });

  it("is filled in by an administrator with `leerlus privacy statement`", async () => {
    const run = (args: string[]) =>
      runCliInProcess(["privacy", "statement", ...args], { DATABASE_URL: database.url, LEERLUS_SECRET: TEST_SECRET });
    const set = await run([
      "--organisation",
      DEMO_IDS.organisation,
      "--controller",
      "Gemeente Demostad",
      "--dpo",
      "fg@demostad.nl",
      "--processors",
      "",
    ]);
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout.slice(0, set.stdout.lastIndexOf("}") + 1)).fields.dpoContact).toBe("fg@demostad.nl");
    expect(set.stdout).toContain("Still missing on /privacy: processors.");
    expect((await run(["--organisation", "00000000-0000-4000-8000-000000000000"])).code).toBe(1);
  });

  describe("in a browser", () => {
    let browser: TestBrowser;
    beforeAll(async () => {
      browser = await launchBrowser();
    });
    afterAll(async () => browser?.close());

    it.each([
      ["desktop", 1280, 900],
      ["phone", 390, 844],
    ])(
      "reads well on %s (no sideways scrolling, no axe violations); the screenshot is kept",
      async (name, width, height) => {
        const page = await browser.context.newPage();
        await page.setViewportSize({ width, height });
        await page.goto(`${base}/privacy?lang=nl`);
        expect(await page.locator("h1").textContent()).toBe(prompts.t("nl", "legal.privacy.title"));
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
        expect(await axeViolations(page)).toEqual([]);
        const folder = path.join(ROOT, "docs/screens");
        mkdirSync(folder, { recursive: true });
        await page.screenshot({ path: path.join(folder, `privacy-${name}.png`), fullPage: true });
        await page.close();
      },
    );
  });
});
