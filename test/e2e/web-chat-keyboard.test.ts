import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_IDS } from "../../src/persistence/demo-seed.ts";
import type { CycleRecord } from "../../src/ports/retro-store.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { axeViolations, launchBrowser, type TestBrowser } from "../support/browser.ts";
import { answerAsDemoPeople } from "../support/demo-answers.ts";
import { firstWhere, rowsWhere } from "../support/fixtures.ts";
import { eventually } from "../support/test-clock.ts";
import { prompts } from "../support/test-core.ts";
import { startWebApp, type WebApp } from "../support/web-app.ts";

const nl = (key: string, vars?: Record<string, string | number>) => prompts.t("nl", key, vars);

/** What has the focus now: its tag, accessible label, and the message it sits in. */
function focused(page: Page) {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    return {
      tag: element?.tagName.toLowerCase() ?? "",
      type: element?.getAttribute("type") ?? "",
      label: element?.getAttribute("aria-label") ?? element?.textContent?.trim() ?? "",
      messageId: element?.closest(".msg")?.getAttribute("data-id") ?? null,
      isMessage: element?.matches(".msg") ?? false,
      id: element?.id ?? "",
    };
  });
}

/** Presses Tab (or Shift+Tab) until the focus satisfies `wanted`; fails after `max` presses. */
async function tabUntil(
  page: Page,
  wanted: (now: Awaited<ReturnType<typeof focused>>) => boolean,
  options: { back?: boolean; max?: number } = {},
) {
  for (let press = 0; press < (options.max ?? 80); press++) {
    await page.keyboard.press(options.back ? "Shift+Tab" : "Tab");
    const now = await focused(page);
    if (wanted(now)) return now;
  }
  throw new Error("KEYBOARD_TARGET_NOT_REACHED: the focus never got there by Tab");
}

// Issue #22, point 6: a whole retro with the keyboard alone, and what a screen reader is told.
describe("the web chat by keyboard alone", () => {
  let app: WebApp;
  let browser: TestBrowser;
  const project = "Slimme straatreiniging";

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it("the lead starts a retro, answers it, and saves a lesson from the summary, using only the keyboard", async () => {
    const page = await browser.context.newPage();
    await page.goto(`${app.base}/?as=${DEMO_IDS.sanne}`);
    await page.locator('body[data-live="true"]').waitFor();

    // The first Tab stops are the skip links: one to the newest message, one to the message box.
    await page.keyboard.press("Tab");
    expect((await focused(page)).label).toBe(nl("web.page.skipToNewest"));
    await page.keyboard.press("Tab");
    expect((await focused(page)).label).toBe(nl("web.page.skipToComposer"));
    await page.keyboard.press("Enter");
    expect((await focused(page)).id).toBe("composer-input");
    await page.keyboard.type("retro nu");
    await page.keyboard.press("Enter");
    await page.getByText(nl("retro.now.started")).waitFor();
    await page.getByRole("heading", { name: nl("retro.prompt.heading", { sequence: 1, project }) }).waitFor();

    // The skip link takes the reader to the newest message: the retro's questions.
    await tabUntil(page, (now) => now.label === nl("web.page.skipToNewest"));
    await page.keyboard.press("Enter");
    const prompt = await focused(page);
    expect(prompt.isMessage).toBe(true);
    expect(await page.locator(".msg:focus .msg-heading").textContent()).toBe(
      nl("retro.prompt.heading", { sequence: 1, project }),
    );

    // Every question: type into text fields, arrow through the 1–5 scale, until the send button.
    let typed = 0;
    for (;;) {
      const now = await tabUntil(page, () => true, { max: 1 });
      expect(now.messageId).toBe(prompt.messageId);
      if (now.tag === "button" && now.type === "submit") break;
      if (now.tag === "textarea" || (now.tag === "input" && now.type === "text")) {
        await page.keyboard.type(`Vraag ${++typed} bewoners betrekken bij de veegroute`);
      } else if (now.tag === "input" && now.type === "radio") {
        for (let step = 0; step < 3; step++) await page.keyboard.press("ArrowRight");
      }
    }
    expect(typed).toBeGreaterThan(0);
    await page.keyboard.press("Enter");
    await page.getByText(/je antwoorden zijn opgeslagen/).waitFor();
    // The focus stays on the message the person acted on.
    await eventually(async () => (await focused(page)).messageId === prompt.messageId);

    // The rest of the team answers in their own chat; the retro closes and its summary reaches the channel.
    const cycle = (await app.core.deps.stores.retro.latestCycle(DEMO_IDS.pilot)) as CycleRecord;
    const answers = await rowsWhere(app.database.db, "Answer", { cycleId: cycle.id });
    expect(answers.filter((answer) => answer.text?.startsWith("Vraag ")).length).toBe(typed);
    await answerAsDemoPeople(
      app.core.deps,
      cycle,
      [DEMO_IDS.ahmed, DEMO_IDS.lotte, DEMO_IDS.emma],
      (key, personId) => `${key} ${personId.slice(-4)} sensoren eerder ijken`,
    );

    // To the team channel by Tab and Enter.
    await tabUntil(page, (now) => now.label.startsWith(project));
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: nl("retro.summary.heading", { project, sequence: 1 }) }).waitFor({
      timeout: 20_000,
    });

    // Each Save as lesson button is named after its lesson, so a screen reader tells them apart.
    const lesson = await eventually(
      async () =>
        (await app.database.prisma.lesson.findFirst({
          where: { cycleId: cycle.id, status: "proposed", text: { startsWith: "Vraag" } },
        })) ?? undefined,
    );
    const firstWords = lesson.text.split(/\s+/).slice(0, 3).join(" ");
    const save = await tabUntil(page, (now) =>
      now.label.startsWith(`${nl("retro.summary.save-lesson")}: ${firstWords}`),
    );
    const summaryId = save.messageId;
    const labels = await page
      .getByRole("button", { name: nl("retro.summary.save-lesson") })
      .evaluateAll((buttons) => buttons.map((button) => button.getAttribute("aria-label")));
    expect(new Set(labels).size).toBe(labels.length);
    await page.keyboard.press("Enter");
    await eventually(
      async () => (await firstWhere(app.database.db, "Lesson", { id: lesson.id }))?.status === "confirmed",
    );
    // The focus is still on the summary, not lost to the page.
    await eventually(async () => (await focused(page)).messageId === summaryId);
    expect(await axeViolations(page)).toEqual([]);

    // A change made elsewhere redraws the message in place, its buttons gone: the focus stays on it.
    const decided = nl("retro.summary.heading", { project, sequence: 1 });
    await app.web.adapter.update(summaryId as string, {
      fallback: decided,
      blocks: [{ type: "paragraph", text: [decided] }],
    });
    await eventually(async () => (await page.locator(`.msg[data-id="${summaryId}"] .msg-actions`).count()) === 0);
    expect(await focused(page)).toMatchObject({ isMessage: true, messageId: summaryId });
    await page.close();
  });

  it("leaves an earlier retro's folded form out of the Tab order on the way to the message box", async () => {
    await advanceProject(app.core.deps, DEMO_IDS.pilot, { openNow: true });
    const page = await browser.context.newPage();
    await page.goto(`${app.base}/?as=${DEMO_IDS.sanne}`);
    await page.locator('body[data-live="true"]').waitFor();
    await page.getByRole("heading", { name: nl("retro.prompt.heading", { sequence: 2, project }) }).waitFor();
    const earlier = await page.locator("details.msg-earlier .msg").first().getAttribute("data-id");
    expect(earlier).not.toBeNull();
    const visited: (string | null)[] = [];
    await tabUntil(
      page,
      (now) => {
        visited.push(now.messageId);
        return now.id === "composer-input";
      },
      { max: 200 },
    );
    expect(visited).not.toContain(earlier);
    await page.close();
  });

  it("keeps form landmarks unique when the same form is shown twice, and the message box one Tab from the top", async () => {
    const page = await browser.context.newPage();
    await page.goto(`${app.base}/?as=${DEMO_IDS.mark}`);
    await page.locator('body[data-live="true"]').waitFor();
    for (const _ of [1, 2]) {
      await page.getByLabel(nl("web.composer.label")).fill("opzetten");
      await page.keyboard.press("Enter");
      await eventually(async () => (await page.locator("form.msg-form").count()) >= _);
    }
    expect(await axeViolations(page)).toEqual([]);
    await page.locator("#conversation-title").focus();
    await tabUntil(page, (now) => now.label === nl("web.page.skipToComposer"), { back: true });
    await page.keyboard.press("Enter");
    expect((await focused(page)).id).toBe("composer-input");
    await page.close();
  });
});
