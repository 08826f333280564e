import { describe, expect, it } from "vitest";
import type { Locale } from "../../src/domain/locale.ts";
import type { Block, Message } from "../../src/domain/message.ts";
import { withItemState } from "../../src/use-cases/message-state.ts";

const buttons = (locale: Locale): Block => ({
  type: "actions",
  item: "lesson:l1",
  locale,
  buttons: [{ actionId: "lesson.confirm", label: locale === "nl" ? "Bewaren als les" : "Save", value: "l1" }],
});
const decided = (locale: Locale): Block[] => [
  { type: "context", item: "lesson:l1", locale, text: [locale === "nl" ? "Bewaard als les." : "Saved as a lesson."] },
];
const words = (message: Message) => JSON.stringify(message.blocks);

describe("an item's state in a sent message", () => {
  it("rewrites the item in each language of a bilingual channel message, leaving the rest", () => {
    const message: Message = {
      fallback: "x",
      blocks: [
        { type: "paragraph", text: ["Les"] },
        buttons("nl"),
        { type: "paragraph", text: ["Lesson"] },
        buttons("en"),
      ],
    };
    const next = withItemState(message, "lesson:l1", decided, "nl") as Message;
    expect(next.blocks.map((block) => block.type)).toEqual(["paragraph", "context", "paragraph", "context"]);
    expect(words(next)).toContain("Bewaard als les.");
    expect(words(next)).toContain("Saved as a lesson.");
    // And back: Undo brings each language's buttons back.
    const back = withItemState(next, "lesson:l1", (locale) => [buttons(locale)], "nl") as Message;
    expect(back.blocks).toEqual(message.blocks);
  });

  it("rewrites every reader's version of a web channel message", () => {
    const version = (locale: Locale): Message => ({ fallback: locale, locale, blocks: [buttons(locale)] });
    const message: Message = { ...version("nl"), byLocale: { nl: version("nl"), en: version("en") } };
    const next = withItemState(message, "lesson:l1", decided, "nl") as Message;
    expect(words(next.byLocale?.en as Message)).toContain("Saved as a lesson.");
    expect(words(next.byLocale?.nl as Message)).toContain("Bewaard als les.");
    expect(words(next)).toContain("Bewaard als les.");
  });

  it("finds the buttons of messages sent before items were marked, and leaves others alone", () => {
    const old: Message = {
      fallback: "x",
      blocks: [{ type: "actions", buttons: [{ actionId: "checkpoint.snooze", label: "1 week", value: "c1:1" }] }],
    };
    expect(withItemState(old, "checkpoint:c1", () => [{ type: "context", text: ["Gedaan."] }], "nl")?.blocks).toEqual([
      { type: "context", text: ["Gedaan."] },
    ]);
    expect(withItemState(old, "checkpoint:c2", () => [], "nl")).toBeNull();
  });
});
