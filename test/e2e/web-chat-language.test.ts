import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_IDS } from "../../src/persistence/demo-seed.ts";
import type { CycleRecord } from "../../src/ports/retro-store.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { axeViolations, launchBrowser, type TestBrowser } from "../support/browser.ts";
import { answerAsDemoPeople } from "../support/demo-answers.ts";
import { rowsWhere } from "../support/fixtures.ts";
import { eventually } from "../support/test-clock.ts";
import { prompts } from "../support/test-core.ts";
import { startWebApp, type WebApp } from "../support/web-app.ts";

// Emma reads English, Lotte Dutch: in the web chat each reads the team channel's summary and
// action review in their own language, whatever language the lead set for Slack and Teams.
describe("the web chat's team channel in each reader's language", () => {
  let app: WebApp;
  let browser: TestBrowser;
  const channel = `web:channel:${DEMO_IDS.pilot}`;
  const project = "Slimme straatreiniging";

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function say(personId: string, event: Record<string, unknown>) {
    return handleEvent(app.core.deps, {
      platform: "web",
      tenantId: DEMO_IDS.organisation,
      platformUserId: personId,
      conversationRef: channel,
      ...event,
    } as Parameters<typeof handleEvent>[1]);
  }

  async function channelDelivered(keyStart: string) {
    await eventually(async () => {
      const rows = await rowsWhere(app.database.db, "OutboxMessage");
      const wanted = rows.filter((row) => row.key.startsWith(keyStart));
      return wanted.length > 0 && wanted.every((row) => row.status === "sent");
    }, 30_000);
  }

  it("shows the summary and the action review to Lotte in Dutch and to Emma in English", async () => {
    // The lead sets the channel to Dutch: that is for Slack and Teams; the web chat reads per person.
    const set = await say(DEMO_IDS.sanne, { type: "command", text: "projecttaal nl" });
    expect(set[0]?.fallback).toBe(
      prompts.t("nl", "project.language.set", { language: prompts.t("nl", "project.language.name.nl") }),
    );

    await advanceProject(app.core.deps, DEMO_IDS.pilot);
    const cycle = (await app.core.deps.stores.retro.latestCycle(DEMO_IDS.pilot)) as CycleRecord;
    await answerAsDemoPeople(
      app.core.deps,
      cycle,
      [DEMO_IDS.sanne, DEMO_IDS.ahmed, DEMO_IDS.lotte, DEMO_IDS.emma],
      (key) => `Bewoners vroeg betrekken (${key})`,
      "4",
    );
    await channelDelivered(`summary:${cycle.id}`);
    const actions = 4 * cycle.questions.nl.filter((question) => question.yields === "action").length;
    // The next retro opens with the actions of this one to review in the channel.
    await advanceProject(app.core.deps, DEMO_IDS.pilot, { openNow: true });
    await channelDelivered("action-review:");

    // Only the lead gets the buttons (lessons are the lead's to decide, these actions have no owner).
    const expectations = [
      { personId: DEMO_IDS.sanne, locale: "nl" as const, lead: true },
      { personId: DEMO_IDS.lotte, locale: "nl" as const, lead: false },
      { personId: DEMO_IDS.emma, locale: "en" as const, lead: false },
    ];
    for (const { personId, locale, lead } of expectations) {
      const t = (key: string, vars?: Record<string, string | number>) => prompts.t(locale, key, vars);
      const page = await browser.context.newPage();
      await page.goto(`${app.base}/?as=${personId}#${encodeURIComponent(channel)}`);
      await page.locator('body[data-live="true"]').waitFor();
      expect(await page.locator("html").getAttribute("lang")).toBe(locale);
      const summaryHeading = t("retro.summary.heading", { project, sequence: 1 });
      await page.getByRole("heading", { name: summaryHeading }).waitFor();
      await page.getByText(t("retro.summary.participation", { answered: 4, invited: 4, count: 4 })).waitFor();
      const saves = await page.getByRole("button", { name: t("retro.summary.save-lesson") }).count();
      if (lead) expect(saves).toBeGreaterThan(0);
      else expect(saves).toBe(0);
      await page.getByRole("heading", { name: t("actions.review.heading", { count: actions }) }).waitFor();
      expect(await page.getByRole("button", { name: t("actions.review.done") }).count()).toBe(lead ? actions : 0);
      // Nothing of the other language shows in this reader's channel.
      const other = locale === "nl" ? "en" : "nl";
      expect(await page.getByText(prompts.t(other, "retro.summary.heading", { project, sequence: 1 })).count()).toBe(0);
      expect(await page.getByRole("button", { name: prompts.t(other, "actions.review.done") }).count()).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
      await page.close();
    }
  });
});
