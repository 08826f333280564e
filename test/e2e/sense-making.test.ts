// Making sense together in the web chat in headless Chromium: the answers grouped by theme in
// the team's channel, a member's vote answered privately with the votes left, and the result
// after the voting closes. Screenshots at 1280 and 390 px (SCREENS_DIR, /tmp by default).
import { mkdirSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_IDS } from "../../src/persistence/demo-seed.ts";
import type { CycleRecord } from "../../src/ports/retro-store.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { axeViolations, launchBrowser, type TestBrowser } from "../support/browser.ts";
import { answeredPilotRetro } from "../support/sense-answers.ts";
import { eventually } from "../support/test-clock.ts";
import { prompts } from "../support/test-core.ts";
import { startWebApp, type WebApp } from "../support/web-app.ts";

const channel = `web:channel:${DEMO_IDS.pilot}`;
const nl = (key: string, vars?: Record<string, string | number>) => prompts.t("nl", key, vars);
const SCREENS = process.env.SCREENS_DIR ?? "/tmp";
const VIEWPORTS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };

describe("making sense together in the web chat, in a browser", () => {
  let app: WebApp;
  let browser: TestBrowser;
  let cycle: CycleRecord;

  const settled = () =>
    eventually(
      async () => (await app.database.prisma.outboxMessage.count({ where: { status: { not: "sent" } } })) === 0,
    );
  const say = (personId: string, text: string) =>
    handleEvent(app.core.deps, {
      type: "command",
      platform: "web",
      tenantId: DEMO_IDS.organisation,
      platformUserId: personId,
      conversationRef: channel,
      text,
    });

  beforeAll(async () => {
    app = await startWebApp();
    const { core, database } = app;
    cycle = await answeredPilotRetro(core.deps, core.clock, () =>
      database.prisma.project.update({ where: { id: DEMO_IDS.implementation }, data: { active: false } }),
    );
    await say(DEMO_IDS.sanne, "retro groeperen");
    await settled();
    browser = await launchBrowser();
    mkdirSync(SCREENS, { recursive: true });
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

  async function shoot(page: Page, name: string, at: string): Promise<void> {
    for (const [label, viewport] of Object.entries(VIEWPORTS)) {
      await page.setViewportSize(viewport);
      await page
        .getByText(at)
        .first()
        .evaluate((element) => element.scrollIntoView({ block: "start" }));
      await page.screenshot({ path: `${SCREENS}/sense-making-${name}-${label}.png` });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
    }
    await page.setViewportSize(VIEWPORTS.desktop);
  }

  it("shows the groups with a Vote button each; a vote is answered to the voter alone", async () => {
    const page = await openAs(DEMO_IDS.lotte);
    const heading = nl("sense.heading", { project: "Slimme straatreiniging", sequence: cycle.sequence });
    await page.getByRole("heading", { name: heading }).waitFor();
    const votes = page.locator('.msg-actions button[data-action-id="sense.vote"]');
    expect(await votes.count()).toBe((await app.core.deps.stores.sense.groups(cycle.id)).length);
    await votes.first().click();
    await page.getByText(nl("sense.voted", { count: 2 })).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await shoot(page, "vote", heading);
    await page.close();
    // Ahmed's view of the channel does not show Lotte's note.
    const other = await openAs(DEMO_IDS.ahmed);
    await other.getByRole("heading", { name: heading }).waitFor();
    expect(await other.getByText(nl("sense.voted", { count: 2 })).count()).toBe(0);
    await other.close();
  }, 60_000);

  it("after the voting closes, shows the groups ranked by votes, the proposed ones marked", async () => {
    const groups = await app.core.deps.stores.sense.groups(cycle.id);
    await handleEvent(app.core.deps, {
      type: "action",
      platform: "web",
      tenantId: DEMO_IDS.organisation,
      platformUserId: DEMO_IDS.ahmed,
      conversationRef: channel,
      actionId: "sense.vote",
      value: groups[1]?.id ?? "",
    });
    await say(DEMO_IDS.emma, "stemmen"); // an unclear command changes nothing
    for (const group of groups.slice(0, 2)) {
      await handleEvent(app.core.deps, {
        type: "action",
        platform: "web",
        tenantId: DEMO_IDS.organisation,
        platformUserId: DEMO_IDS.sanne,
        conversationRef: channel,
        actionId: "sense.vote",
        value: group.id,
      });
    }
    await say(DEMO_IDS.sanne, "stemming sluiten");
    await settled();
    const page = await openAs(DEMO_IDS.lotte);
    const heading = nl("sense.result.heading", { project: "Slimme straatreiniging", sequence: cycle.sequence });
    await page.getByRole("heading", { name: heading }).waitFor();
    await page.getByText(nl("sense.result.voters", { count: 3 })).waitFor();
    expect(await page.locator('.msg-actions button[data-action-id="sense.vote"]').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await shoot(page, "result", heading);
    await page.close();
  }, 60_000);
});
