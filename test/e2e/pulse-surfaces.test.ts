import { mkdirSync } from "node:fs";
import type { Server } from "node:http";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderModal } from "../../adapters/slack/render-views.ts";
import { renderCards } from "../../adapters/teams/render-card.ts";
import type { Message } from "../../src/domain/message.ts";
import { DEMO_IDS } from "../../src/persistence/demo-seed.ts";
import { createStores } from "../../src/persistence/unit-of-work.ts";
import type { CycleRecord } from "../../src/ports/retro-store.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { composeDigest } from "../../src/use-cases/digest/compose-digest.ts";
import { digestLink, digestLinkSigner } from "../../src/use-cases/digest/digest-link.ts";
import { handleEvent } from "../../src/use-cases/handle-event.ts";
import { adaptiveCardProblems, cardText, findByType } from "../support/adaptive-card-check.ts";
import { viewProblems } from "../support/block-kit-limits.ts";
import { axeViolations, launchBrowser, type TestBrowser } from "../support/browser.ts";
import { answerAsDemoPeople } from "../support/demo-answers.ts";
import { startDigestServer } from "../support/digest-server.ts";
import { prompts, TEST_SECRET } from "../support/test-core.ts";
import { startWebApp, type WebApp } from "../support/web-app.ts";

const MINUTE = 60_000;
const WIDTHS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };
/** Set SCREENS_DIR=docs/screens to keep the screenshots for the README. */
const SCREENS = process.env.SCREENS_DIR ?? "test-results";

// What a person sees of a retro with rotated wordings and the team pulse, on each surface:
// the web chat in Chromium, a Slack modal and a Teams card as their renderers build them,
// and the adviser's digest page.
describe("rotated questions and the team pulse on every surface", () => {
  let app: WebApp;
  let browser: TestBrowser;
  let cycle: CycleRecord;
  let digestServer: Server | undefined;

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchBrowser();
    mkdirSync(SCREENS, { recursive: true });
    // A pulse every second retro, so retro 2 asks it, in its second wordings.
    await app.database.prisma.project.update({ where: { id: DEMO_IDS.pilot }, data: { pulseEvery: 2 } });
    const { core } = app;
    await advanceProject(core.deps, DEMO_IDS.pilot);
    const first = (await core.deps.stores.retro.latestCycle(DEMO_IDS.pilot)) as CycleRecord;
    core.clock.advance(first.closesAt.getTime() - core.clock.now().getTime() + 1000);
    await advanceProject(core.deps, DEMO_IDS.pilot);
    for (let tries = 0; tries < 5 && cycle?.sequence !== 2; tries++) {
      core.clock.advance(MINUTE);
      await advanceProject(core.deps, DEMO_IDS.pilot);
      cycle = (await core.deps.stores.retro.latestCycle(DEMO_IDS.pilot)) as CycleRecord;
    }
    expect(cycle.sequence).toBe(2);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (digestServer ? digestServer.close(resolve) : resolve(undefined)));
    await app?.close();
  });

  const wording = (locale: "nl" | "en") => cycle.questions[locale].find((q) => !q.pulse && q.wording === 1);
  const statements = (locale: "nl" | "en") => prompts.teamPulse(locale).statements.map((s) => s.text);

  async function shoot(page: Page, name: string, label: keyof typeof WIDTHS, target?: string) {
    const path = `${SCREENS}/${name}-${label}.png`;
    if (target) await page.locator(target).screenshot({ path });
    else await page.screenshot({ path });
    // Nothing wider than the screen: a phone never scrolls sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(WIDTHS[label].width);
  }

  it("shows the web chat's form in the retro's own wording, with the pulse after it, at 1280 and 390 px", async () => {
    const asked = wording("nl");
    expect(asked?.text).toBeTruthy();
    for (const [label, viewport] of Object.entries(WIDTHS) as [keyof typeof WIDTHS, typeof WIDTHS.phone][]) {
      const page = await browser.context.newPage();
      await page.setViewportSize(viewport);
      await page.goto(`${app.base}/?as=${DEMO_IDS.lotte}`);
      await page.getByRole("button", { name: "Leerlus" }).click();
      await page.locator('body[data-live="true"]').waitFor();
      await page.getByRole("heading", { name: "Retro 2 van Slimme straatreiniging" }).waitFor();
      await page
        .getByText(asked?.text as string)
        .first()
        .waitFor();
      await page.getByText(prompts.t("nl", "retro.pulse.intro")).waitFor();
      for (const text of statements("nl")) await page.getByText(text).first().waitFor();
      expect(await page.getByText("Helemaal oneens").count()).toBeGreaterThanOrEqual(statements("nl").length);
      expect(await axeViolations(page)).toEqual([]);
      // The picture a person gets when they reach the pulse: the last questions and its statements.
      await page
        .getByText(statements("nl")[0] as string)
        .first()
        .evaluate((element) => element.scrollIntoView({ block: "center" }));
      await shoot(page, "retro-pulse", label);
      await page.close();
    }
  }, 90_000);

  it("shows the same wording and the pulse in a Slack modal and a Teams card", async () => {
    const [form] = await handleEvent(app.core.deps, {
      type: "action",
      platform: "web",
      tenantId: DEMO_IDS.organisation,
      platformUserId: DEMO_IDS.emma,
      conversationRef: `web:dm:${DEMO_IDS.emma}`,
      actionId: "retro.open",
      value: cycle.id,
    });
    const copy = { answer: "Answer", close: "Close", truncated: "…", continued: "…" };
    const modal = renderModal(
      form as Message,
      { actionId: "retro.answer", value: cycle.id, conversationRef: "D1" },
      copy,
    );
    expect(modal).not.toBeNull();
    expect(viewProblems(modal as never)).toEqual([]);
    const modalText = JSON.stringify(modal);
    expect(modalText).toContain(wording("en")?.text);
    for (const text of statements("en")) expect(modalText).toContain(text);
    expect(modalText).toContain(prompts.t("en", "retro.pulse.intro"));

    const cards = renderCards(form as Message, (key, vars) => prompts.t("en", `teams.${key}`, vars));
    for (const card of cards) expect(adaptiveCardProblems(card)).toEqual([]);
    // Questions are the inputs' labels; the pulse's note a TextBlock above them.
    const labels = cards.flatMap((card) =>
      [...findByType(card, "Input.Text"), ...findByType(card, "Input.ChoiceSet")].map((input) => String(input.label)),
    );
    const text = [...cards.map(cardText), ...labels].join("\n");
    expect(text).toContain(wording("en")?.text);
    for (const statement of statements("en")) expect(text).toContain(statement);
    expect(text).toContain(prompts.t("en", "retro.pulse.intro"));
  });

  it("shows the pulse's means in the adviser's digest page at 1280 and 390 px", async () => {
    const { core, database } = app;
    // 4, 3 and 5 on every statement: a mean of 4.
    for (const [personId, score] of [
      [DEMO_IDS.sanne, "4"],
      [DEMO_IDS.ahmed, "3"],
      [DEMO_IDS.lotte, "5"],
    ] as const) {
      await answerAsDemoPeople(core.deps, cycle, [personId], (key) => `Antwoord over ${key}`, score);
    }
    const periodStart = new Date(cycle.opensAt.getTime() - MINUTE);
    core.clock.advance(cycle.closesAt.getTime() - core.clock.now().getTime() + 1000);
    await advanceProject(core.deps, DEMO_IDS.pilot);
    const periodEnd = new Date(core.clock.now().getTime() + 1000);
    const stores = createStores(database.db);
    const content = await composeDigest({
      stores,
      prompts,
      organisationId: DEMO_IDS.organisation,
      periodStart,
      periodEnd,
      minGroupSize: 3,
    });
    expect(content.teamPulse?.at(-1)).toMatchObject({ shown: true, respondents: 3 });
    const digestId = (await stores.digests.create({
      organisationId: DEMO_IDS.organisation,
      audience: "advisers",
      periodStart,
      periodEnd,
      content,
    })) as string;
    const started = await startDigestServer(database.db, TEST_SECRET, () => core.clock.now());
    digestServer = started.server;
    const signer = digestLinkSigner(TEST_SECRET);
    const url = digestLink({
      signer,
      publicUrl: started.base,
      digestId,
      organisationId: DEMO_IDS.organisation,
      personId: DEMO_IDS.joost,
      now: core.clock.now(),
    }).url;
    const section = 'section[aria-labelledby="s-team-pulse"]';
    for (const [label, viewport] of Object.entries(WIDTHS) as [keyof typeof WIDTHS, typeof WIDTHS.phone][]) {
      const page = await browser.context.newPage();
      await page.setViewportSize(viewport);
      expect((await page.goto(url))?.status()).toBe(200);
      const text = await page.locator(section).textContent();
      // (4 + 3 + 5) / 3 on every statement, written the Dutch way.
      expect(text).toContain(prompts.t("nl", "digests.pulse-item", { average: "4" }));
      for (const statement of statements("nl")) expect(text).toContain(statement);
      expect(await page.locator(`${section} svg[role="img"]`).count()).toBe(1);
      expect(await axeViolations(page)).toEqual([]);
      await shoot(page, "digest-pulse", label, section);
      await page.close();
    }
  }, 90_000);
});
