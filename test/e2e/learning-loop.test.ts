import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_IDS } from "../../src/persistence/demo-seed.ts";
import type { CycleRecord } from "../../src/ports/retro-store.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { axeViolations, launchBrowser, type TestBrowser } from "../support/browser.ts";
import { answerAsDemoPeople } from "../support/demo-answers.ts";
import { eventually } from "../support/test-clock.ts";
import { startWebApp, type WebApp } from "../support/web-app.ts";

// The whole loop in the browser: real core, real web adapter, real queues, real page.
describe("the learning loop in the web chat", () => {
  let app: WebApp;
  let core: WebApp["core"];
  let base: string;
  let browser: TestBrowser;

  beforeAll(async () => {
    app = await startWebApp();
    ({ core, base } = app);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it("a member answers the retro in the page and the summary appears live in the team channel", async () => {
    await advanceProject(core.deps, DEMO_IDS.pilot);
    const cycle = (await core.deps.stores.retro.latestCycle(DEMO_IDS.pilot)) as CycleRecord;
    // Three colleagues answer in their own chat; Lotte answers in the browser.
    await answerAsDemoPeople(
      core.deps,
      cycle,
      [DEMO_IDS.sanne, DEMO_IDS.ahmed, DEMO_IDS.emma],
      (key) => `Antwoord over bewoners (${key})`,
    );

    const page = await browser.context.newPage();
    await page.goto(`${base}/?as=${DEMO_IDS.lotte}`);
    expect(await page.locator("html").getAttribute("lang")).toBe("nl");
    await page.getByRole("button", { name: "Leerlus" }).click();
    await page.locator('body[data-live="true"]').waitFor();
    await page.getByRole("heading", { name: "Retro 1 van Slimme straatreiniging" }).waitFor();
    expect(await axeViolations(page)).toEqual([]);

    for (const question of cycle.questions.nl) {
      if (question.kind === "scale") {
        await page.getByRole("radio", { name: "4" }).first().check();
      } else {
        await page.getByLabel(question.text, { exact: false }).fill(`Lotte: ${question.key} met gebruikers`);
      }
    }
    await page.getByRole("button", { name: "Antwoorden versturen" }).click();
    await page.getByText(/je antwoorden zijn opgeslagen/).waitFor();

    // Everyone answered, so the cycle closes early; the summary arrives live in the channel.
    await page.getByRole("button", { name: "Slimme straatreiniging" }).click();
    await page.getByRole("heading", { name: "Samenvatting van retro 1 van Slimme straatreiniging" }).waitFor({
      timeout: 20_000,
    });
    await page.getByText("4 van de 4 hebben geantwoord.").waitFor();
    expect(await page.getByText(/Lotte: .* met gebruikers/).count()).toBeGreaterThan(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
    await eventually(async () => (await core.deps.stores.retro.cycle(cycle.id))?.status === "closed");
  });
});
