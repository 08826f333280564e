// Proposed team actions in the web chat, in headless Chromium: a member takes one and the
// message changes in place to name them; a second take explains and offers Step back; another
// member rewrites one in its form and the message shows the new text beside the old.
// `SCREENS_DIR=<dir>` writes the proposal message at 1280 and 390 px.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_IDS } from "../../src/persistence/demo-seed.ts";
import { axeViolations, launchBrowser, type TestBrowser } from "../support/browser.ts";
import { closedRetroWithProposals } from "../support/proposed-actions.ts";
import { eventually } from "../support/test-clock.ts";
import { startWebApp, type WebApp } from "../support/web-app.ts";

const channel = `web:channel:${DEMO_IDS.pilot}`;
const SCREENS = process.env.SCREENS_DIR;
const VIEWPORTS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };

describe("team actions in the web chat", () => {
  let app: WebApp;
  let browser: TestBrowser;
  let actions: string[];

  beforeAll(async () => {
    app = await startWebApp();
    ({ ids: actions } = await closedRetroWithProposals(app.core, app.database));
    await eventually(
      async () => (await app.database.prisma.outboxMessage.count({ where: { status: { not: "sent" } } })) === 0,
    );
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function openAs(personId: string): Promise<Page> {
    const page = await browser.context.newPage();
    await page.goto(`${app.base}/?as=${personId}#${encodeURIComponent(channel)}`);
    await page.locator('body[data-live="true"]').waitFor();
    await page.locator("#messages .msg").first().waitFor();
    return page;
  }
  const button = (page: Page, actionId: string, value: string) =>
    page.locator(`.msg-actions button[data-action-id="${actionId}"][data-value="${value}"]`);
  const proposal = (page: Page) =>
    page.locator(".msg", { has: page.locator('button[data-action-id="team-action.take"]') }).first();

  it("taking an action names you in the message, in place; a second take offers Step back", async () => {
    const [first = ""] = actions;
    const page = await openAs(DEMO_IDS.ahmed);
    // A member sees take and rewrite, not the lead's Assign.
    expect(await button(page, "team-action.take", first).count()).toBe(1);
    expect(await page.locator('button[data-action-id="team-action.assign"]').count()).toBe(0);
    await button(page, "team-action.take", first).click();
    await proposal(page).filter({ hasText: "Opgepakt door Ahmed El Amrani" }).waitFor();
    await page.locator(".msg", { hasText: "Je hebt deze actie opgepakt" }).waitFor();
    await button(page, "team-action.take", first).click();
    const again = page.locator(".msg", { hasText: "al opgepakt" });
    await again.waitFor();
    expect(await again.locator('button[data-action-id="team-action.step-back"]').count()).toBe(1);
    expect(await app.database.prisma.actionOwner.count({ where: { actionId: first } })).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it("a rewrite in its form shows the new text and what it said; the lead sees Assign", async () => {
    const [, second = ""] = actions;
    const page = await openAs(DEMO_IDS.lotte);
    await button(page, "team-action.rewrite", second).click();
    const form = page.locator(`form.msg-form[data-form-id="team-action-${second}"]`);
    await form.locator("textarea").fill("Wijkavond <b>plannen</b> met de bewoners");
    await form.getByRole("button", { name: "Opslaan" }).click();
    const shown = proposal(page).filter({ hasText: "Herschreven door Lotte Jansen" });
    await shown.waitFor();
    // The new text is Lotte's own: shown as written, never as markup.
    expect(await shown.locator(".user-text", { hasText: "<b>plannen</b>" }).count()).toBeGreaterThan(0);
    await page.close();

    const lead = await openAs(DEMO_IDS.sanne);
    expect(await lead.locator('button[data-action-id="team-action.assign"]').count()).toBeGreaterThan(0);
    if (SCREENS) {
      for (const [label, viewport] of Object.entries(VIEWPORTS)) {
        await lead.setViewportSize(viewport);
        await proposal(lead).evaluate((element) => element.scrollIntoView({ block: "start" }));
        await lead.screenshot({ path: `${SCREENS}/team-actions-${label}.png` });
      }
    }
    expect(await axeViolations(lead)).toEqual([]);
    await lead.close();
  });
});
