// Every message shows its state, in the web chat in headless Chromium: after a button, the
// message it was on changes in place (live, through the page's update channel) to say what
// was decided and by whom, with Undo instead of the buttons; a second click explains.
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_IDS } from "../../src/persistence/demo-seed.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { evaluateCheckpoints } from "../../src/use-cases/evaluate-checkpoints.ts";
import { axeViolations, launchBrowser, type TestBrowser } from "../support/browser.ts";
import { closedPilotRetro } from "../support/demo-answers.ts";
import { eventually } from "../support/test-clock.ts";
import { prompts } from "../support/test-core.ts";
import { startWebApp, type WebApp } from "../support/web-app.ts";

const MINUTE = 60_000;
const channel = `web:channel:${DEMO_IDS.pilot}`;
const nl = (key: string, vars?: Record<string, string | number>) => prompts.t("nl", key, vars);
/** Where screenshots go when asked for (`SCREENS_DIR=docs/screens`); none otherwise. */
const SCREENS = process.env.SCREENS_DIR;
const VIEWPORTS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };

describe("the web chat shows each message's state", () => {
  let app: WebApp;
  let browser: TestBrowser;
  let lessons: string[];
  let actions: string[];

  beforeAll(async () => {
    app = await startWebApp();
    const { core, database } = app;
    const first = await closedPilotRetro(core.deps, core.clock, () =>
      database.prisma.project.update({ where: { id: DEMO_IDS.implementation }, data: { active: false } }),
    );
    core.clock.advance(MINUTE);
    await advanceProject(core.deps, DEMO_IDS.pilot); // opens the next: the action review
    await evaluateCheckpoints(core.deps, DEMO_IDS.organisation); // Karin's nudge
    lessons = (
      await database.prisma.lesson.findMany({ where: { cycleId: first.id }, orderBy: { createdAt: "asc" } })
    ).map((lesson) => lesson.id);
    actions = (
      await database.prisma.actionItem.findMany({ where: { cycleId: first.id }, orderBy: { createdAt: "asc" } })
    ).map((action) => action.id);
    // Everything is delivered to the web chat before the browser looks.
    await eventually(
      async () => (await database.prisma.outboxMessage.count({ where: { status: { not: "sent" } } })) === 0,
    );
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function openAs(personId: string, ref: string): Promise<Page> {
    const page = await browser.context.newPage();
    await page.goto(`${app.base}/?as=${personId}#${encodeURIComponent(ref)}`);
    await page.locator('body[data-live="true"]').waitFor();
    await page.locator("#messages .msg").first().waitFor();
    return page;
  }

  /** With SCREENS_DIR set: `<name>-desktop.png` and `<name>-phone.png`, centred on `at`. */
  async function shoot(page: Page, at: Locator, name: string): Promise<void> {
    if (!SCREENS) return;
    for (const [label, viewport] of Object.entries(VIEWPORTS)) {
      await page.setViewportSize(viewport);
      await at.evaluate((element) => element.scrollIntoView({ block: "center" }));
      await page.screenshot({ path: `${SCREENS}/${name}-${label}.png` });
    }
    await page.setViewportSize(VIEWPORTS.desktop);
  }

  const button = (page: Page, actionId: string, value: string) =>
    page.locator(`.msg-actions button[data-action-id="${actionId}"][data-value="${value}"]`);
  /** The message that holds the item's buttons or state. */
  const messageOf = (page: Page, value: string) =>
    page.locator(".msg", { has: page.locator(`.msg-actions button[data-value="${value}"]`) }).first();

  it("a saved lesson and a dismissed one read who decided, with Undo instead of the buttons", async () => {
    const [saved = "", dismissed = ""] = lessons;
    const page = await openAs(DEMO_IDS.sanne, channel);
    const before = await page.locator("#messages .msg").count();
    await button(page, "lesson.confirm", saved).click();
    await button(page, "lesson.undo", saved).waitFor();
    expect(await button(page, "lesson.confirm", saved).count()).toBe(0);
    expect(await button(page, "lesson.dismiss", saved).count()).toBe(0);
    expect(await messageOf(page, saved).textContent()).toContain("Bewaard als les door Sanne");

    await button(page, "lesson.dismiss", dismissed).click();
    await button(page, "lesson.undo", dismissed).waitFor();
    expect(await messageOf(page, dismissed).textContent()).toContain("Geen les, besloten door Sanne");
    // In place: no second copy of the summary, only the two confirmations to Sanne.
    expect(await page.locator("#messages .msg").count()).toBe(before + 2);
    await shoot(page, button(page, "lesson.undo", saved), "decided-lesson");
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it("a second click on a decided lesson explains who decided and offers Undo; Undo brings the buttons back", async () => {
    const [saved = ""] = lessons;
    const page = await openAs(DEMO_IDS.sanne, channel);
    // A click from a copy of the page that had not caught up yet: the old button, sent again.
    const status = await page.evaluate(
      async ([conversationRef, value]) => {
        const response = await fetch("/web/api/action", {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          body: JSON.stringify({ conversationRef, actionId: "lesson.dismiss", value }),
        });
        return response.status;
      },
      [channel, saved],
    );
    expect(status).toBe(200);
    const explanation = page.locator(".msg", { hasText: "heeft dit al als les bewaard" });
    await explanation.waitFor();
    expect(await app.database.prisma.lesson.findUniqueOrThrow({ where: { id: saved } })).toMatchObject({
      status: "confirmed",
    });
    await explanation.locator(`button[data-action-id="lesson.undo"]`).click();
    await button(page, "lesson.confirm", saved).waitFor();
    expect(await app.database.prisma.lesson.findUniqueOrThrow({ where: { id: saved } })).toMatchObject({
      status: "proposed",
    });
    await page.close();
  });

  it("actions read done, not yet or dropped, and by whom", async () => {
    const page = await openAs(DEMO_IDS.sanne, channel);
    const [done = "", notYet = "", dropped = ""] = actions;
    await button(page, "action.done", done).click();
    await button(page, "action.undo", done).waitFor();
    await button(page, "action.not-yet", notYet).click();
    await button(page, "action.undo", notYet).waitFor();
    await button(page, "action.drop", dropped).click();
    await button(page, "action.undo", dropped).waitFor();
    // The review, not the proposal message that also shows these actions.
    const review = await page.locator(".msg", { has: button(page, "action.undo", done) }).textContent();
    expect(review).toContain("Gedaan, afgevinkt door Sanne");
    expect(review).toContain("Nog niet, volgens Sanne");
    expect(review).toContain("Geschrapt door Sanne");
    expect(await page.locator(`.msg-actions button[data-action-id="action.done"]`).count()).toBe(0);
    await shoot(page, button(page, "action.undo", done), "decided-actions");
    await page.close();
  });

  it("a checkpoint done with evidence reads so in the manager's nudge", async () => {
    const checkpoint = await app.database.prisma.checkpoint.findFirstOrThrow({
      where: { projectId: DEMO_IDS.pilot, status: "open", nudgesSent: { gt: 0 } },
    });
    const page = await openAs(DEMO_IDS.karin, `web:dm:${DEMO_IDS.karin}`);
    await button(page, "checkpoint.done", checkpoint.id).click();
    const form = page.locator(`form.msg-form[data-form-id="checkpoint-${checkpoint.id}"]`);
    await form.locator("textarea").fill("Verslag van de bewonersavond <b>12 mei</b>");
    await form.getByRole("button", { name: nl("gates.checkpoint.done-form.submit") }).click();
    await button(page, "checkpoint.undo", checkpoint.id).waitFor();
    const nudge = messageOf(page, checkpoint.id);
    expect(await nudge.textContent()).toContain("Gedaan volgens Karin");
    // The evidence is the manager's own text: shown as written, never as markup.
    expect(await nudge.locator(".user-text", { hasText: "<b>12 mei</b>" }).count()).toBeGreaterThan(0);
    expect(await button(page, "checkpoint.done", checkpoint.id).count()).toBe(0);
    await page.close();
  });

  it("a member sees no lead-only buttons, and a click sent anyway is refused with a reason", async () => {
    const [, dismissed = ""] = lessons;
    const page = await openAs(DEMO_IDS.lotte, channel);
    // The summary shows Lotte every lesson and its state, without the lead's buttons.
    await page.locator(".msg", { hasText: "Geen les, besloten door Sanne" }).waitFor();
    const leadOnly = ["lesson.confirm", "lesson.dismiss", "lesson.undo"].map((id) => `button[data-action-id="${id}"]`);
    expect(await page.locator(leadOnly.join(", ")).count()).toBe(0);
    // Actions: only their owner and the leads get the buttons (these have no owner yet).
    expect(await page.locator('.msg-actions button[data-action-id^="action."]').count()).toBe(0);
    const status = await page.evaluate(
      async ([conversationRef, value]) =>
        (
          await fetch("/web/api/action", {
            method: "POST",
            headers: { "Content-Type": "application/json", Accept: "application/json" },
            body: JSON.stringify({ conversationRef, actionId: "lesson.undo", value }),
          })
        ).status,
      [channel, dismissed],
    );
    expect(status).toBe(200);
    await page.locator(".msg", { hasText: "Alleen de trekker" }).waitFor();
    expect(await app.database.prisma.lesson.findUniqueOrThrow({ where: { id: dismissed } })).toMatchObject({
      status: "dismissed",
    });
    await page.close();
  });

  it("a closed retro's form reads gesloten and can no longer be sent; the earlier retro folds by it", async () => {
    const page = await browser.context.newPage();
    await page.goto(`${app.base}/?as=${DEMO_IDS.lotte}#${encodeURIComponent(`web:dm:${DEMO_IDS.lotte}`)}`);
    await page.locator('body[data-live="true"]').waitFor();
    // The earlier retro (closed) folds to one line; its first message is out of sight until shown.
    const fold = page.locator("details.msg-earlier");
    await fold.first().waitFor();
    expect(await fold.first().locator("summary").textContent()).toMatch(/^Retro 1 .*: gesloten · tonen$/);
    await fold.first().locator("summary").click();
    const closed = fold.first().locator(`[data-item^="retro-"]`);
    expect(await closed.textContent()).toBe(nl("state.retro.closed"));
    expect(await fold.first().locator("form").count()).toBe(0);
    // The open retro (the second) still has its form.
    expect(await page.locator('form.msg-form[data-form-id^="retro-"]').count()).toBe(1);
    await page.close();
  });
});
