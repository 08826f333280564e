// The official Adaptive Cards library as the judge of what the Teams renderer produces. Its
// UMD bundle parses without a DOM; rendering needs a browser (see teams-cards.test.ts).
import { createRequire } from "node:module";

type ParseEvent = { phase: number; event: number; message: string };
type AdaptiveCards = {
  AdaptiveCard: new () => {
    parse(json: unknown, context: unknown): void;
    validateProperties(): { validationEvents: { message: string }[] };
  };
  SerializationContext: new () => { eventCount: number; getEventAt(index: number): ParseEvent };
};

const AC = createRequire(import.meta.url)("adaptivecards/dist/adaptivecards.js") as AdaptiveCards;

/** Every parse warning and validation failure the library reports; empty when the card is clean. */
export function adaptiveCardProblems(card: unknown): string[] {
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  parsed.parse(card, context);
  const problems: string[] = [];
  for (let index = 0; index < context.eventCount; index++) problems.push(context.getEventAt(index).message);
  for (const event of parsed.validateProperties().validationEvents) problems.push(event.message);
  // Teams' people picker is a ChoiceSet whose choices come from `choices.data` (Data.Query), with
  // none listed when nobody is chosen yet; the library predates that and counts only listed ones.
  const emptySets = findByType(card, "Input.ChoiceSet").filter((set) => (set.choices as unknown[]).length === 0);
  if (emptySets.length > 0 && emptySets.every((set) => set["choices.data"])) {
    return problems.filter((problem) => problem !== "An Input.ChoiceSet must have at least one choice defined.");
  }
  return problems;
}

/** Every object in a card with the given `type`, depth first. */
export function findByType(node: unknown, type: string): Record<string, unknown>[] {
  if (!node || typeof node !== "object") return [];
  const found: Record<string, unknown>[] = [];
  const record = node as Record<string, unknown>;
  if (record.type === type) found.push(record);
  for (const value of Object.values(record)) {
    if (Array.isArray(value)) for (const item of value) found.push(...findByType(item, type));
    else if (value && typeof value === "object") found.push(...findByType(value, type));
  }
  return found;
}

/** The visible text of a card: TextBlocks, RichTextBlocks (their runs, joined) and facts. */
export function cardText(card: unknown): string {
  const blocks = findByType(card, "TextBlock").map((block) => String(block.text));
  const rich = findByType(card, "RichTextBlock").map((block) =>
    (block.inlines as { text: string }[]).map((run) => run.text).join(""),
  );
  const facts = findByType(card, "FactSet").flatMap((set) =>
    (set.facts as { title: string; value: string }[]).map((fact) => `${fact.title}: ${fact.value}`),
  );
  return [...blocks, ...rich, ...facts].join("\n");
}
