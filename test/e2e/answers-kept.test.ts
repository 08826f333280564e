import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_IDS } from "../../src/persistence/demo-seed.ts";
import type { CycleRecord } from "../../src/ports/retro-store.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { axeViolations, launchBrowser, type TestBrowser } from "../support/browser.ts";
import { answersOf } from "../support/demo-answers.ts";
import { eventually } from "../support/test-clock.ts";
import { startWebApp, type WebApp } from "../support/web-app.ts";

// Issue #22 in the browser: the retro form opens with the person's answers after a reload, a
// resend changes only what was changed, and a sentence typed in the chat is an answer.
// `SCREENS_DIR=docs/screens` also writes the screenshots the README links to.
const SCREENS = process.env.SCREENS_DIR;
const WIDTHS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };

describe("answers in the web chat", () => {
  let app: WebApp;
  let core: WebApp["core"];
  let base: string;
  let browser: TestBrowser;
  let cycle: CycleRecord;

  const stored = (personId: string) => answersOf(app.database.db, core.deps.secret, cycle.id, personId);
  const open = async (personId: string, viewport = WIDTHS.desktop) => {
    const page = await browser.context.newPage();
    await page.setViewportSize(viewport);
    await page.goto(`${base}/?as=${personId}`);
    await page.getByRole("button", { name: "Leerlus" }).click();
    await page.locator('body[data-live="true"]').waitFor();
    await page.getByRole("heading", { name: "Retro 1 van Slimme straatreiniging" }).waitFor();
    return page;
  };
  const question = (key: string) => cycle.questions.nl.find((q) => q.key === key)?.text ?? key;
  const field = (page: Page, key: string) =>
    page.locator(`form.msg-form[data-form-id^="retro-"] [name="${key}"]`).first();
  const shoot = async (page: Page, name: string, label: keyof typeof WIDTHS) => {
    if (SCREENS) await page.screenshot({ path: `${SCREENS}/${name}-${label}.png`, fullPage: label === "phone" });
  };

  beforeAll(async () => {
    app = await startWebApp();
    ({ core, base } = app);
    browser = await launchBrowser();
    await advanceProject(core.deps, DEMO_IDS.pilot);
    cycle = (await core.deps.stores.retro.latestCycle(DEMO_IDS.pilot)) as CycleRecord;
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it("after a reload the form shows the answers; changing one keeps the rest; emptying one clears it", async () => {
    const page = await open(DEMO_IDS.sanne);
    await field(page, "practice").fill("Bewoners melden vaker via de app.");
    await field(page, "evidence").fill("Meldingen +40% in twee wijken.");
    await field(page, "after-pilot").fill("Eigenaar bij Stadsbeheer gezocht.");
    await page.getByRole("radio", { name: "4" }).first().check();
    await page.getByRole("button", { name: "Antwoorden versturen" }).first().click();
    await page.getByText(/je antwoorden zijn opgeslagen/).waitFor();

    await page.reload();
    await page.locator('body[data-live="true"]').waitFor();
    // The form as first sent was empty; shown again, it holds what Sanne answered.
    await eventually(async () => (await field(page, "evidence").inputValue()) === "Meldingen +40% in twee wijken.");
    expect(await field(page, "practice").inputValue()).toBe("Bewoners melden vaker via de app.");
    expect(await page.locator('form.msg-form [name="learning-score"][value="4"]').first().isChecked()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);

    await field(page, "practice").fill("Bewoners melden vaker, vooral 's avonds.");
    await page.getByRole("button", { name: "Antwoorden versturen" }).first().click();
    await page.getByText(`Bijgewerkt: "${question("practice")}".`, { exact: false }).waitFor();
    expect(await stored(DEMO_IDS.sanne)).toEqual({
      practice: "Bewoners melden vaker, vooral 's avonds.",
      evidence: "Meldingen +40% in twee wijken.",
      "after-pilot": "Eigenaar bij Stadsbeheer gezocht.",
      "learning-score": "4",
    });

    for (const [label, viewport] of Object.entries(WIDTHS) as [keyof typeof WIDTHS, typeof WIDTHS.phone][]) {
      const shown = await open(DEMO_IDS.sanne, viewport);
      await eventually(async () => (await field(shown, "practice").inputValue()) !== "");
      await field(shown, "practice").scrollIntoViewIfNeeded();
      await shoot(shown, "answers-prefilled", label);
      await shown.close();
    }

    await page.reload();
    await page.locator('body[data-live="true"]').waitFor();
    await eventually(async () => (await field(page, "evidence").inputValue()) !== "");
    await field(page, "evidence").fill("");
    await page.getByRole("button", { name: "Antwoorden versturen" }).first().click();
    await page.getByText(`Gewist: "${question("evidence")}".`, { exact: false }).waitFor();
    expect((await stored(DEMO_IDS.sanne)).evidence).toBeUndefined();
    expect((await stored(DEMO_IDS.sanne)).practice).toBe("Bewoners melden vaker, vooral 's avonds.");
    await page.close();
  });

  it("a sentence typed in the chat is the answer to the first open question, with Undo", async () => {
    const page = await open(DEMO_IDS.lotte);
    const box = page.getByRole("textbox").last();
    await box.fill("De app werkt, maar oudere bewoners bellen liever.");
    await box.press("Enter");
    const saved = page.getByText(`Bewaard als je antwoord op "${question("practice")}" (Slimme straatreiniging).`);
    await saved.waitFor();
    expect(await stored(DEMO_IDS.lotte)).toEqual({ practice: "De app werkt, maar oudere bewoners bellen liever." });
    // Their own sentence stays whole in the chat; no "I don't know the command".
    await page.locator(".msg-own", { hasText: "De app werkt, maar oudere bewoners bellen liever." }).waitFor();
    expect(await page.getByText(/Ik ken de opdracht/).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole("button", { name: "Ongedaan maken" }).last().click();
    await page.getByText(`Ongedaan gemaakt: je antwoord op "${question("practice")}" is weer zoals het was.`).waitFor();
    expect(await stored(DEMO_IDS.lotte)).toEqual({});
    await page.close();
  });

  it("question by question: the button asks one question, the typed reply answers it and the next follows", async () => {
    const page = await open(DEMO_IDS.lotte);
    await page.getByRole("button", { name: "Vraag voor vraag" }).first().click();
    await page.getByText(/^Vraag 1 van 5 \(Slimme straatreiniging\)/).waitFor();
    const box = page.getByRole("textbox").last();
    await box.fill("Oudere bewoners bellen liever.");
    await box.press("Enter");
    await page.getByText(/^Vraag 2 van 5 \(Slimme straatreiniging\)/).waitFor();
    expect((await stored(DEMO_IDS.lotte)).practice).toBe("Oudere bewoners bellen liever.");
    // The retro form on the page catches up with the typed answer.
    await eventually(async () => (await field(page, "practice").inputValue()) === "Oudere bewoners bellen liever.");
    for (const [label, viewport] of Object.entries(WIDTHS) as [keyof typeof WIDTHS, typeof WIDTHS.phone][]) {
      await page.setViewportSize(viewport);
      await page.getByText(/^Vraag 2 van 5/).scrollIntoViewIfNeeded();
      await shoot(page, "answers-typed", label);
    }
    await page.getByRole("button", { name: "Later" }).last().click();
    await page.getByText(/Goed, ik vraag het later nog eens/).waitFor();
    await page.close();
  });
});
