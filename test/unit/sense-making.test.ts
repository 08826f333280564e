import { describe, expect, it } from "vitest";
import { parseCommand } from "../../src/domain/command.ts";
import {
  everyoneVoted,
  groupAnswers,
  minutesLeft,
  parseGroupRef,
  rankGroups,
  representativeAnswer,
  topGroups,
  votesAvailable,
} from "../../src/domain/sense-making.ts";

describe("grouping a retro's answers", () => {
  it("puts answers with the same first theme together, largest group first", () => {
    const groups = groupAnswers([
      { id: "a", text: "Data eerst opschonen", themes: ["data-quality"] },
      { id: "b", text: "Bewoners vroeg betrekken", themes: ["user-involvement", "communication"] },
      { id: "c", text: "Bronbestanden kloppen niet", themes: ["data-quality"] },
      { id: "d", text: "Wijkavond plannen", themes: ["user-involvement"] },
      { id: "e", text: "De datakwaliteit bewaken", themes: ["data-quality", "technology"] },
    ]);
    expect(groups).toEqual([
      { themeId: "data-quality", answerIds: ["a", "c", "e"] },
      { themeId: "user-involvement", answerIds: ["b", "d"] },
    ]);
  });

  it("keeps answers without a theme apart unless they share a longer word", () => {
    const groups = groupAnswers([
      { id: "a", text: "Meer overleg over planning", themes: [] },
      { id: "b", text: "De planning was te krap", themes: [] },
      { id: "c", text: "Koffie", themes: [] },
    ]);
    expect(groups).toEqual([
      { themeId: null, answerIds: ["a", "b"] },
      { themeId: null, answerIds: ["c"] },
    ]);
  });

  it("takes as the group's text the answer that shares the most with the others", () => {
    const best = representativeAnswer([
      { id: "1", text: "Koffie" },
      { id: "2", text: "Bewoners eerder betrekken bij de pilot" },
      { id: "3", text: "Bewoners betrekken" },
    ]);
    expect(best?.id).toBe("3");
  });
});

describe("counting secret votes", () => {
  const tallies = [
    { groupId: "g1", position: 1, votes: 2 },
    { groupId: "g2", position: 2, votes: 5 },
    { groupId: "g3", position: 3, votes: 2 },
    { groupId: "g4", position: 4, votes: 0 },
    { groupId: "g5", position: 5, votes: 1 },
  ];

  it("ranks by votes, ties in the order shown", () => {
    expect(rankGroups(tallies).map((tally) => tally.groupId)).toEqual(["g2", "g1", "g3", "g5", "g4"]);
  });

  it("proposes the top three, never a group without votes", () => {
    expect(topGroups(tallies).map((tally) => tally.groupId)).toEqual(["g2", "g1", "g3"]);
    expect(topGroups([{ groupId: "x", position: 1, votes: 0 }])).toEqual([]);
  });

  it("gives no more votes than there are groups (one per group)", () => {
    expect(votesAvailable(3, 2)).toBe(2);
    expect(votesAvailable(3, 7)).toBe(3);
  });

  it("ends early only when every invited person spent every vote", () => {
    const spent = new Map([
      ["p1", 3],
      ["p2", 3],
    ]);
    expect(everyoneVoted(["p1", "p2"], spent, 3)).toBe(true);
    expect(everyoneVoted(["p1", "p2", "p3"], spent, 3)).toBe(false);
    expect(everyoneVoted([], spent, 3)).toBe(false);
  });
});

describe("the lead's commands", () => {
  it("reads group and answer numbers", () => {
    expect(parseGroupRef("2")).toEqual({ group: 2, answer: null });
    expect(parseGroupRef("2.3")).toEqual({ group: 2, answer: 3 });
    expect(parseGroupRef("2,3")).toBeNull();
  });

  it("parses merge, split, votes, retro group and close voting in Dutch and English", () => {
    expect(parseCommand("samenvoegen 3 met 1")).toEqual({ name: "merge", from: 3, into: 1 });
    expect(parseCommand("merge 3 into 1")).toEqual({ name: "merge", from: 3, into: 1 });
    expect(parseCommand("merge 3 1")).toEqual({ name: "merge", from: 3, into: 1 });
    expect(parseCommand("merge drie")).toEqual({ name: "regroup-unclear", merge: true });
    expect(parseCommand("splitsen 2.3")).toEqual({ name: "split", group: 2, answer: 3 });
    expect(parseCommand("split 2")).toEqual({ name: "regroup-unclear", merge: false });
    expect(parseCommand("stemmen 5")).toEqual({ name: "votes", votes: 5 });
    expect(parseCommand("votes 11")).toEqual({ name: "votes", votes: null });
    expect(parseCommand("retro groeperen")).toEqual({ name: "retro-group" });
    expect(parseCommand("retro group")).toEqual({ name: "retro-group" });
    expect(parseCommand("stemming sluiten")).toEqual({ name: "close-voting" });
    expect(parseCommand("close voting")).toEqual({ name: "close-voting" });
  });

  it("parses retro live with its minutes: 5 by default, 1 to 30, else unclear", () => {
    expect(parseCommand("retro live")).toEqual({ name: "retro-live", minutes: 5 });
    expect(parseCommand("retro live 10")).toEqual({ name: "retro-live", minutes: 10 });
    expect(parseCommand("retro live 10 minuten")).toEqual({ name: "retro-live", minutes: 10 });
    expect(parseCommand("Retro Live 1 min")).toEqual({ name: "retro-live", minutes: 1 });
    expect(parseCommand("retro live 31")).toEqual({ name: "retro-live", minutes: null });
    expect(parseCommand("retro live 0")).toEqual({ name: "retro-live", minutes: null });
    expect(parseCommand("retro live vijf")).toEqual({ name: "retro-live", minutes: null });
  });

  it("counts the minutes left up, so the last minute still shows", () => {
    const at = new Date("2026-12-07T15:05:00Z");
    expect(minutesLeft(at, new Date("2026-12-07T15:00:00Z"))).toBe(5);
    expect(minutesLeft(at, new Date("2026-12-07T15:04:01Z"))).toBe(1);
    expect(minutesLeft(at, new Date("2026-12-07T15:06:00Z"))).toBe(0);
  });
});
