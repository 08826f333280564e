import { describe, expect, it } from "vitest";
import { parseCommand } from "../../src/domain/command.ts";
import { type Block, type Message, plain } from "../../src/domain/message.ts";
import type { TeamActionRecord } from "../../src/ports/team-action-store.ts";
import { withItemState } from "../../src/use-cases/message-state.ts";
import { actionDeciders } from "../../src/use-cases/messages/action-review-message.ts";
import {
  type TeamActionView,
  teamActionBlocks,
  teamActionsMessage,
} from "../../src/use-cases/team-actions/team-action-message.ts";
import { prompts } from "../support/test-core.ts";

const action = (over: Partial<TeamActionRecord> = {}): TeamActionRecord => ({
  id: "a1",
  projectId: "p1",
  cycleId: "c1",
  proposalKey: "answer-1",
  text: "Bewoners *vroeg* betrekken",
  previousText: null,
  rewrittenById: null,
  dueAt: new Date("2026-12-14T14:00:00Z"),
  status: "open",
  reviewedInCycleId: null,
  owners: [],
  ...over,
});
const view: TeamActionView = {
  teamIds: ["lead", "m1", "m2"],
  leadIds: ["lead"],
  rewriterName: null,
  timezone: "Europe/Amsterdam",
};
const words = (blocks: Block[]) => blocks.map((block) => ("text" in block ? plain(block.text) : "")).join(" | ");
const buttons = (blocks: Block[]) =>
  blocks.flatMap((block) => (block.type === "actions" ? block.buttons.map((b) => [b.actionId, block.onlyFor]) : []));

describe("a proposed team action's blocks", () => {
  it("show the text, that nobody took it, the due day, and take/rewrite for the team, assign for leads", () => {
    const blocks = teamActionBlocks(prompts, "nl", action(), view);
    expect(blocks.every((block) => "item" in block && block.item === "team-action:a1")).toBe(true);
    expect(words(blocks)).toContain(
      "Bewoners *vroeg* betrekken | Nog niemand heeft dit opgepakt · uiterlijk ma 14 dec 2026",
    );
    expect(buttons(blocks)).toEqual([
      ["team-action.take", view.teamIds],
      ["team-action.rewrite", view.teamIds],
      ["team-action.assign", view.leadIds],
    ]);
    // What a person wrote stays a user span, for every renderer to escape.
    expect(blocks[0]?.type === "paragraph" && blocks[0].text).toEqual([{ user: "Bewoners *vroeg* betrekken" }]);
  });

  it("name the owners, and who rewrote it with what it said, in English too", () => {
    const owned = action({
      owners: [
        { personId: "m1", displayName: "Lotte Jansen", assignedById: null },
        { personId: "m2", displayName: "Emma Clarke", assignedById: "lead" },
      ],
      previousText: "Oude tekst",
      rewrittenById: "m1",
    });
    const text = words(teamActionBlocks(prompts, "en", owned, { ...view, rewriterName: "Lotte Jansen" }));
    expect(text).toContain("Taken by Lotte Jansen, Emma Clarke · due Mon, 14 Dec 2026");
    expect(text).toContain("Rewritten by Lotte Jansen. It said: Oude tekst");
  });

  it("name no rewriter in an anonymous project", () => {
    const text = words(
      teamActionBlocks(prompts, "nl", action({ previousText: "Oude tekst", rewrittenById: "m1" }), view),
    );
    expect(text).toContain("Herschreven. Eerst stond er: Oude tekst");
  });

  it("have no buttons once the action is done or dropped", () => {
    const blocks = teamActionBlocks(prompts, "nl", action({ status: "done" }), view);
    expect(buttons(blocks)).toEqual([]);
    expect(words(blocks)).toContain("gedaan");
  });

  it("are swapped as one in the sent message when the action changes, the others left alone", () => {
    const other = action({ id: "a2", text: "Ander voorstel" });
    const message: Message = teamActionsMessage(prompts, "nl", [
      { action: action(), view },
      { action: other, view },
    ]);
    const taken = action({ owners: [{ personId: "m1", displayName: "Lotte Jansen", assignedById: null }] });
    const updated = withItemState(
      message,
      "team-action:a1",
      (locale) => teamActionBlocks(prompts, locale, taken, view),
      "nl",
    );
    const text = words(updated?.blocks ?? []);
    expect(text).toContain("Opgepakt door Lotte Jansen");
    expect(text.match(/Bewoners \*vroeg\* betrekken/g)).toHaveLength(1);
    expect(text).toContain("Ander voorstel | Nog niemand heeft dit opgepakt");
  });
});

describe("team action rules", () => {
  it("let every owner and the leads answer an action's review, each once", () => {
    expect(actionDeciders(["m1", "lead", "m2"], ["lead"])).toEqual(["m1", "m2", "lead"]);
    expect(actionDeciders([], ["lead"])).toEqual(["lead"]);
  });

  it("read a new due date in Dutch and English, and refuse a date that does not exist", () => {
    expect(parseCommand("acties 2 uiterlijk 20-12-2026")).toEqual({ name: "action-due", index: 2, date: "2026-12-20" });
    expect(parseCommand("actions 3 due 2026-12-20")).toEqual({ name: "action-due", index: 3, date: "2026-12-20" });
    expect(parseCommand("actions 3 due 31-2-2026")).toEqual({ name: "action-due", index: 3, date: null });
  });
});
