// The name of a button repeated per item, as Slack and Teams get it: from the one rule the web
// chat uses (src/domain/button-names.ts), with a person's text inert and within each limit.
import { describe, expect, it } from "vitest";
import { renderMessage } from "../../adapters/slack/render-blocks.ts";
import { renderCards } from "../../adapters/teams/render-card.ts";
import type { Message } from "../../src/domain/message.ts";
import { adaptiveCardProblems, findByType } from "../support/adaptive-card-check.ts";
import { blockProblems } from "../support/block-kit-limits.ts";
import { prompts } from "../support/test-core.ts";

const copy = { answer: "Beantwoorden", close: "Annuleren", truncated: "Ingekort.", continued: "Vervolg." };
const t = (key: string, vars?: Record<string, string | number>) => prompts.t("nl", `teams.${key}`, vars);
const hostile = "<!channel> *vet* & [klik](https://evil.example) bewoners vroeg betrekken bij de planning";
const long = `${"Sensorenkalibratieprocedure".repeat(4)} ijken`;

const review: Message = {
  fallback: "Acties",
  blocks: [
    { type: "heading", text: ["Acties van vorige keer"] },
    { type: "paragraph", text: [{ user: hostile }] },
    {
      type: "actions",
      buttons: [
        { actionId: "action.done", label: "Gedaan", value: "a1" },
        { actionId: "action.dropped", label: "Vervallen", value: "a1" },
      ],
    },
    { type: "paragraph", text: [{ user: long }] },
    { type: "actions", buttons: [{ actionId: "action.done", label: "Gedaan", value: "a2" }] },
  ],
};

type Element = { value?: string; accessibility_label?: string };

describe("names of repeated buttons", () => {
  it("Slack: an escaped accessibility_label of at most 75 characters, per button", () => {
    const { blocks } = renderMessage(review, copy);
    const buttons = blocks.flatMap((block) => ("elements" in block ? (block.elements as Element[]) : []));
    // Escaped as all Slack text is, and cut at Slack's 75 characters, never inside an entity.
    expect(buttons.map((button) => button.accessibility_label)).toEqual([
      "Gedaan: &lt;!channel&gt; *vet* &amp; [klik](https://evil.example) bewoners…",
      "Vervallen: &lt;!channel&gt; *vet* &amp; [klik](https://evil.example) bewon…",
      `Gedaan: ${long}`.slice(0, 74).concat("…"),
    ]);
    expect(blockProblems(blocks as never, 50)).toEqual([]);
  });

  it("Teams: a plain tooltip on each action and its fallback, in a card the schema accepts", () => {
    const [card] = renderCards(review, t);
    const actions = findByType(card, "Action.Execute");
    expect(actions.map((action) => action.tooltip)).toEqual([
      "Gedaan: <!channel> *vet* & [klik](https://evil.example) bewoners vroeg…",
      "Vervallen: <!channel> *vet* & [klik](https://evil.example) bewoners vroeg…",
      // Cut at 120 characters: a name read out before the button stays short.
      `Gedaan: ${long}`.slice(0, 119).concat("…"),
    ]);
    expect(actions.map((action) => (action.fallback as { tooltip?: string }).tooltip)).toEqual(
      actions.map((action) => action.tooltip),
    );
    expect(adaptiveCardProblems(card)).toEqual([]);
  });

  it("a single row of buttons keeps its own label on both platforms", () => {
    const one: Message = { fallback: "x", blocks: review.blocks.slice(0, 3) };
    expect(JSON.stringify(renderMessage(one, copy))).not.toContain("accessibility_label");
    expect(JSON.stringify(renderCards(one, t))).not.toContain("tooltip");
  });
});
