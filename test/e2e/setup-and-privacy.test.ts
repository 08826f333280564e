// Small things in the web chat, in headless Chromium on the real core: the setup form sent in a
// direct chat (its wording, a person picker that searches, optional people that can be cleared,
// errors next to their field), the privacy export as a download, Cancel on the erase question,
// and the one line a retro nobody answered leaves in the team channel.
import { mkdirSync } from "node:fs";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrivacyExportRouter } from "../../adapters/web/privacy-export.ts";
import { DEMO_IDS } from "../../src/persistence/demo-seed.ts";
import { silentLogger } from "../../src/ports/logger.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { downloadPersonalData } from "../../src/use-cases/privacy-export-link.ts";
import { axeViolations, launchBrowser, type TestBrowser } from "../support/browser.ts";
import { firstWhere } from "../support/fixtures.ts";
import { prompts } from "../support/test-core.ts";
import { startWebApp, type WebApp } from "../support/web-app.ts";

/** Screenshots at desktop and phone width; SCREENS_DIR=docs/screens keeps them for the README. */
const SCREENS = process.env.SCREENS_DIR ?? "/tmp/small-things";
const VIEWPORTS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };
const nl = (key: string, vars?: Record<string, string | number>) => prompts.t("nl", key, vars);

describe("setup and privacy in the web chat", () => {
  let app: WebApp;
  let browser: TestBrowser;

  beforeAll(async () => {
    mkdirSync(SCREENS, { recursive: true });
    const core = () => app.core.deps;
    app = await startWebApp({
      routers: [
        createPrivacyExportRouter({
          download: (token) => downloadPersonalData(core(), token),
          text: (locale, key) => prompts.t(locale, key),
          logger: silentLogger,
        }),
      ],
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function openAs(personId: string): Promise<Page> {
    const page = await browser.context.newPage();
    await page.setViewportSize(VIEWPORTS.desktop);
    await page.goto(`${app.base}/?as=${personId}#${encodeURIComponent(`web:dm:${personId}`)}`);
    await page.locator('body[data-live="true"]').waitFor();
    return page;
  }

  async function say(page: Page, text: string): Promise<void> {
    await page.locator("#composer-input").fill(text);
    await page.keyboard.press("Enter");
  }

  async function shoot(page: Page, at: Locator, name: string): Promise<void> {
    for (const [label, viewport] of Object.entries(VIEWPORTS)) {
      await page.setViewportSize(viewport);
      await at.evaluate((element) => element.scrollIntoView({ block: "center" }));
      await page.screenshot({ path: `${SCREENS}/${name}-${label}.png` });
    }
    await page.setViewportSize(VIEWPORTS.desktop);
  }

  it("the setup form in a direct chat: its wording, a searchable person picker, errors next to the field", async () => {
    const page = await openAs(DEMO_IDS.sanne);
    await say(page, "opzetten");
    const form = page.locator("form.msg-form[data-form-id='setup']").last();
    await form.waitFor();
    const message = page.locator(".msg", { has: form });
    expect(await message.textContent()).toContain(nl("setup.intro-direct"));
    expect(await message.textContent()).not.toContain("De leden van het kanaal");

    // The lead is Sanne already; manager and adviser start at "Niemand".
    const lead = form.getByRole("combobox", { name: /Trekker/ });
    expect(await lead.inputValue()).toBe(DEMO_IDS.sanne);
    const manager = form.getByRole("combobox", { name: /Manager/ });
    const adviser = form.getByRole("combobox", { name: /Adviseur/ });
    expect(await manager.inputValue()).toBe("");
    // Searching narrows the list and picks the first match, as a combo box does.
    await form.getByRole("searchbox", { name: /Adviseur/ }).fill("joo");
    expect(await adviser.inputValue()).toBe(DEMO_IDS.joost);
    const visible = await adviser.locator("option:not([hidden])").allTextContents();
    expect(visible).toEqual([nl("web.form.personNone"), "Joost Smit"]);
    // An optional choice can be cleared again.
    await adviser.selectOption("");
    expect(await adviser.inputValue()).toBe("");

    await form.getByLabel(/Naam van het project/).fill("Slimme bankjes");
    await form.getByLabel(/Ritme van de retro/).fill("af en toe");
    await manager.selectOption(DEMO_IDS.sanne);
    await form.getByRole("button", { name: nl("setup.submit") }).click();
    // Each problem under its own field: the control marked invalid and described by it.
    const cadence = form.getByLabel(/Ritme van de retro/);
    await expect.poll(() => cadence.getAttribute("aria-invalid")).toBe("true");
    const cadenceError = page.locator(`[id="${(await cadence.getAttribute("aria-describedby"))?.split(" ").at(-1)}"]`);
    expect(await cadenceError.textContent()).toBe(nl("setup.problem.cadence-unclear"));
    expect(await manager.getAttribute("aria-invalid")).toBe("true");
    const managerError = page.locator(`[id="${(await manager.getAttribute("aria-describedby"))?.split(" ").at(-1)}"]`);
    expect(await managerError.textContent()).toBe(nl("setup.problem.not-yourself"));
    expect(await form.locator(".field-error").count()).toBe(2);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("cadence");
    expect(await axeViolations(page)).toEqual([]);
    await shoot(page, form.locator(".field-error").first(), "setup-errors");

    // Fixed, and the manager cleared: the project is made without one; the errors go.
    await cadence.fill("elke 2 weken donderdag 15:00");
    await manager.selectOption("");
    await form.getByRole("button", { name: nl("setup.submit") }).click();
    await page.locator(".msg", { hasText: "is opgezet" }).waitFor();
    const project = await firstWhere(app.database.db, "Project", { name: "Slimme bankjes" });
    expect(project).not.toBeNull();
    await page.close();
  }, 60_000);

  it("the privacy export is a file to download behind a link, not JSON in the chat", async () => {
    const page = await openAs(DEMO_IDS.lotte);
    await say(page, "privacy");
    await page
      .getByRole("button", { name: nl("privacy.button.export") })
      .last()
      .click();
    const link = page.getByRole("link", { name: nl("web.link.export") });
    await link.waitFor();
    expect(await page.locator("#messages").textContent()).not.toContain('"displayName"');
    const href = (await link.getAttribute("href")) ?? "";
    expect(href).toMatch(/^\/privacy\/export\?token=/);
    const response = await page.request.get(`${app.base}${href}`);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-disposition"]).toMatch(
      /^attachment; filename="leerlus-export-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    expect(response.headers()["content-type"]).toMatch(/^application\/json/);
    expect(response.headers()["cache-control"]).toBe("no-store");
    expect(((await response.json()) as { person: { displayName: string } }).person.displayName).toBe("Lotte Jansen");
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^leerlus-export-.*\.json$/);
    // A forged link gets a page that says what to do, in the reader's language.
    const forged = await page.request.get(`${app.base}/privacy/export?token=nope`, {
      headers: { "accept-language": "nl" },
    });
    expect(forged.status()).toBe(401);
    expect(await forged.text()).toContain(nl("privacy.export-page.invalid"));
    expect(await axeViolations(page)).toEqual([]);
    await shoot(page, link, "privacy-export");
    await page.close();
  }, 60_000);

  it("the erase question has Cancel, which turns it into 'nothing was erased' in place", async () => {
    const page = await openAs(DEMO_IDS.emma);
    await say(page, "privacy");
    await page
      .getByRole("button", { name: prompts.t("en", "privacy.button.erase") })
      .last()
      .click();
    const cancel = page.getByRole("button", { name: "Cancel" });
    await cancel.waitFor();
    const question = page.locator(".msg", { has: cancel });
    const id = await question.getAttribute("data-id");
    await shoot(page, question, "privacy-erase-question");
    const before = await page.locator("#messages .msg").count();
    await cancel.click();
    const answered = page.locator(`.msg[data-id="${id}"]`);
    await expect.poll(() => answered.textContent()).toContain(prompts.t("en", "privacy.erase-cancelled"));
    expect(await answered.locator("button").count()).toBe(0);
    expect(await page.locator("#messages .msg").count()).toBe(before);
    expect(await firstWhere(app.database.db, "Person", { id: DEMO_IDS.emma })).not.toBeNull();
    expect(await axeViolations(page)).toEqual([]);
    await shoot(page, answered, "privacy-erase-cancelled");
    await page.close();
  }, 60_000);

  it("a retro nobody answered is one line in the team channel", async () => {
    const { core } = app;
    await advanceProject(core.deps, DEMO_IDS.pilot);
    for (let step = 0; step < 4; step++) {
      core.clock.advance(60_000);
      await advanceProject(core.deps, DEMO_IDS.pilot);
    }
    const page = await browser.context.newPage();
    await page.setViewportSize(VIEWPORTS.desktop);
    await page.goto(`${app.base}/?as=${DEMO_IDS.sanne}#${encodeURIComponent(`web:channel:${DEMO_IDS.pilot}`)}`);
    await page.locator('body[data-live="true"]').waitFor();
    const line = page.locator(".msg", { hasText: "niemand heeft geantwoord" });
    await line.waitFor();
    expect(await line.locator("h2, h3, ul, button").count()).toBe(0);
    expect(await page.locator(".msg", { hasText: "Samenvatting van retro 1" }).count()).toBe(0);
    await shoot(page, line, "retro-nobody-answered");
    await page.close();
  }, 60_000);
});
