import { mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { escapeMarkdown, renderCards } from "../../adapters/teams/render-card.ts";
import type { Message } from "../../src/domain/message.ts";
import { adaptiveCardProblems, cardText, findByType } from "../support/adaptive-card-check.ts";
import { launchBrowser, type TestBrowser } from "../support/browser.ts";
import { prompts } from "../support/test-core.ts";

const t = (key: string, vars?: Record<string, string | number>) => prompts.t("nl", `teams.${key}`, vars);

const retro: Message = {
  fallback: "Retro voor Slimme straatreiniging",
  blocks: [
    { type: "heading", text: ["Retro 3 van Slimme straatreiniging"] },
    { type: "paragraph", text: ["Vorige keer spraken jullie af:"] },
    { type: "list", items: [[{ user: "**Bewoners** uitnodigen [hier](https://evil.example)" }, " (eigenaar: Sanne)"]] },
    { type: "fields", fields: [{ label: "Fase", value: ["pilot"] }] },
    {
      type: "form",
      formId: "retro-c1",
      title: "Jouw antwoorden",
      inputs: [
        { kind: "multiline", key: "went-well", label: "Wat ging goed?", required: true, maxLength: 1000 },
        {
          kind: "scale",
          key: "energy",
          label: "Hoeveel energie geeft het project je?",
          required: true,
          min: 1,
          max: 5,
          minLabel: "weinig",
          maxLabel: "veel",
          value: 4,
        },
        { kind: "text", key: "one-word", label: "In één woord", required: false, maxLength: 40, value: "vaart" },
      ],
      submit: { actionId: "retro.answer", label: "Antwoorden versturen", value: "c1", style: "primary" },
    },
    { type: "context", text: ["Je kunt je antwoorden aanpassen tot de retro sluit."] },
  ],
};

describe("Adaptive Cards for Teams", () => {
  it("renders forms as inputs with Action.Execute that falls back to Action.Submit", () => {
    const [card, ...more] = renderCards(retro, t);
    expect(more).toEqual([]);
    expect(card?.version).toBe("1.5");
    expect(adaptiveCardProblems(card)).toEqual([]);
    const [submit] = findByType(card, "Action.Execute");
    expect(submit).toMatchObject({ verb: "retro.answer", style: "positive", associatedInputs: "auto" });
    expect(submit?.fallback).toMatchObject({ type: "Action.Submit", title: "Antwoorden versturen" });
    expect(submit?.data).toMatchObject({ leerlus: { value: "c1" } });
    const [text, oneWord] = findByType(card, "Input.Text");
    expect(text).toMatchObject({ id: "went-well", isMultiline: true, maxLength: 1000, isRequired: true });
    expect(oneWord).toMatchObject({ value: "vaart", isMultiline: false });
    const [scale] = findByType(card, "Input.ChoiceSet");
    expect(scale).toMatchObject({ style: "expanded", value: "4" });
    expect(((scale?.choices ?? []) as { title: string }[]).map((choice) => choice.title)).toEqual([
      "1 (weinig)",
      "2",
      "3",
      "4",
      "5 (veel)",
    ]);
    expect(findByType(card, "FactSet")).toHaveLength(1);
    expect(findByType(card, "TextBlock").every((block) => block.wrap === true)).toBe(true);
  });

  it("puts text people wrote in TextRuns, never in markdown, and only there", () => {
    const [card] = renderCards(retro, t);
    const text = cardText(card);
    expect(text).toContain("• **Bewoners** uitnodigen [hier](https://evil.example) (eigenaar: Sanne)");
    expect(findByType(card, "TextBlock").map((block) => block.text)).not.toContainEqual(
      expect.stringContaining("Bewoners"),
    );
    expect(findByType(card, "TextBlock").map((block) => block.text)).toContain("Retro 3 van Slimme straatreiniging");
    expect(escapeMarkdown("# _x_ `y` > z 1. <at>")).toBe("\\# \\_x\\_ \\`y\\` \\> z 1\\. \\<at\\>");
  });

  it("shows field errors under their inputs", () => {
    const [card] = renderCards({ ...retro, fieldErrors: { "went-well": "Vul dit in." } }, t);
    const blocks = findByType(card, "TextBlock");
    expect(blocks.find((block) => block.color === "Attention")?.text).toBe("Vul dit in\\.");
    expect(findByType(card, "Input.Text")[0]?.errorMessage).toBe("Vul dit in.");
    expect(adaptiveCardProblems(card)).toEqual([]);
  });

  it("splits a message too big for one card, with a visible note on each part", () => {
    const long: Message = {
      fallback: "Veel lessen",
      blocks: Array.from({ length: 60 }, (_, index) => ({
        type: "paragraph" as const,
        text: [{ user: `Les ${index}: ${"bewoners betrekken ".repeat(40)}` }],
      })),
    };
    const cards = renderCards(long, t);
    expect(cards.length).toBeGreaterThan(1);
    cards.forEach((card, index) => {
      expect(JSON.stringify(card).length).toBeLessThan(26_000);
      expect(adaptiveCardProblems(card)).toEqual([]);
      expect(cardText(card)).toContain(`Deel ${index + 1} van ${cards.length}`);
    });
    const huge = renderCards({ fallback: "x", blocks: [{ type: "paragraph", text: ["a".repeat(10_000)] }] }, t);
    expect(cardText(huge[0])).toContain(t("split.truncated").slice(1, 12));
  });

  it("keeps bot copy with angle brackets out of TextBlock markdown, where Teams would drop it", () => {
    const help: Message = {
      fallback: "Leerlus-opdrachten",
      blocks: [{ type: "list", items: [[prompts.t("nl", "help.commands.lessons")], ["help: dit overzicht"]] }],
    };
    const [card] = renderCards(help, t);
    expect(adaptiveCardProblems(card)).toEqual([]);
    expect(cardText(card)).toContain("• lessen <woorden>: zoek in wat teams hebben geleerd");
    const blocks = findByType(card, "TextBlock").map((block) => String(block.text));
    expect(blocks).toEqual(["• help: dit overzicht"]);
  });

  describe("in a browser", () => {
    let browser: TestBrowser;
    beforeAll(async () => {
      browser = await launchBrowser();
    });
    afterAll(async () => browser?.close());

    it("renders with the official Adaptive Cards renderer; the screenshot is kept", async () => {
      const page = await browser.context.newPage();
      await page.setContent(
        `<!doctype html><html lang="nl"><body style="width:560px"><main id="card"></main></body></html>`,
      );
      await page.addStyleTag({ path: "node_modules/adaptivecards/dist/adaptivecards.css" });
      await page.addScriptTag({ path: "node_modules/adaptivecards/dist/adaptivecards.min.js" });
      const [card] = renderCards(retro, t);
      const result = await page.evaluate((json) => {
        // biome-ignore lint/suspicious/noExplicitAny: the library's global in the page
        const AC = (window as any).AdaptiveCards;
        const adaptive = new AC.AdaptiveCard();
        const context = new AC.SerializationContext();
        adaptive.parse(json, context);
        const element = adaptive.render() as HTMLElement;
        document.getElementById("card")?.appendChild(element);
        return { events: context.eventCount as number, text: element.textContent ?? "" };
      }, card);
      expect(result.events).toBe(0);
      expect(result.text).toContain("Retro 3 van Slimme straatreiniging");
      expect(result.text).toContain("Antwoorden versturen");
      expect(await page.locator("textarea").count()).toBe(1);
      expect(await page.locator('input[type="radio"]').count()).toBe(5);
      // A help line with <woorden> shows whole, without escapes.
      const helpLine = await page.evaluate(
        (json) => {
          // biome-ignore lint/suspicious/noExplicitAny: the library's global in the page
          const AC = (window as any).AdaptiveCards;
          const adaptive = new AC.AdaptiveCard();
          adaptive.parse(json);
          return (adaptive.render() as HTMLElement).textContent ?? "";
        },
        renderCards(
          { fallback: "help", blocks: [{ type: "list", items: [[prompts.t("nl", "help.commands.lessons")]] }] },
          t,
        )[0],
      );
      expect(helpLine).toContain("lessen <woorden>: zoek");
      const folder = path.resolve("test-results");
      mkdirSync(folder, { recursive: true });
      await page.locator("#card").screenshot({ path: path.join(folder, "teams-retro-card.png") });
      await page.close();
    });
  });
});
