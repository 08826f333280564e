import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { LOCALES } from "../../src/domain/locale.ts";
import { questionsInTurn, timesAsked, wordingsOf } from "../../src/domain/question-wording.ts";
import { createPromptCatalog } from "../../src/prompts/prompt-catalog.ts";
import { LEARNING_SCORE_KEY, MIN_WORDINGS } from "../../src/prompts/schemas.ts";

const catalog = createPromptCatalog(fileURLToPath(new URL("../../prompts", import.meta.url)));
const formatIds = catalog.retroFormatIds();
const keysOf = (id: string) => catalog.retroFormat(id, "nl").questions.map((question) => question.key);

/** Cycles a year for the cadences a team can choose: weekly, every two, three or four weeks, monthly. */
const CYCLES_A_YEAR = [52, 26, 17, 13, 12];

/** The wording each cycle of a year shows for `key`, in the order the cycles come, where it is asked. */
function yearOf(rotation: string[], key: string, cycles: number, locale: "nl" | "en" = "nl") {
  const slots = rotation.map(keysOf);
  const shown: { sequence: number; text: string; wording: number }[] = [];
  for (let sequence = 1; sequence <= cycles; sequence++) {
    const format = rotation[(sequence - 1) % rotation.length] as string;
    const question = questionsInTurn(catalog.retroFormat(format, locale).questions, sequence, slots).find(
      (candidate) => candidate.key === key,
    );
    if (question) shown.push({ sequence, text: question.text, wording: question.wording ?? 0 });
  }
  return shown;
}

describe("timesAsked", () => {
  it("counts the cycles before this one, without a rotation", () => {
    expect([1, 2, 3, 10].map((sequence) => timesAsked("start", sequence, [["start"]]))).toEqual([0, 1, 2, 9]);
  });

  it("counts only the rotation's slots that ask the key", () => {
    const slots = [
      ["liked", "learning-score"],
      ["start", "learning-score"],
      ["liked", "learning-score"],
    ];
    // liked is asked in cycles 1, 3, 4, 6, 7, ...
    expect([1, 3, 4, 6, 7].map((sequence) => timesAsked("liked", sequence, slots))).toEqual([0, 1, 2, 3, 4]);
    expect([1, 2, 3, 4, 5].map((sequence) => timesAsked("learning-score", sequence, slots))).toEqual([0, 1, 2, 3, 4]);
    expect(timesAsked("nowhere", 9, slots)).toBe(0);
  });
});

describe("questions in turn", () => {
  it("keeps every key, kind and yield, and changes only the wording", () => {
    for (const id of formatIds) {
      const format = catalog.retroFormat(id, "en");
      for (let sequence = 1; sequence <= 4; sequence++) {
        const asked = questionsInTurn(format.questions, sequence, [keysOf(id)]);
        expect(asked.map(({ key, kind, yields, required }) => ({ key, kind, yields, required }))).toEqual(
          format.questions.map(({ key, kind, yields, required }) => ({ key, kind, yields, required })),
        );
        expect(asked.every((question) => !("alternatives" in question))).toBe(true);
      }
    }
  });

  it("never shows a key in the same wording two cycles in a row, with or without a rotation", () => {
    const rotations = [
      ...formatIds.map((id) => [id]),
      ["four-ls", "start-stop-continue"],
      ["four-ls", "after-action-review", "start-stop-continue"],
    ];
    for (const rotation of rotations) {
      for (const key of new Set(rotation.flatMap(keysOf))) {
        for (const locale of LOCALES) {
          const shown = yearOf(rotation, key, 52, locale);
          for (let index = 1; index < shown.length; index++) {
            const [before, now] = [shown[index - 1], shown[index]];
            if (now?.sequence === (before?.sequence ?? 0) + 1) {
              expect(now?.text, `${rotation.join("+")} ${key} ${locale} cycle ${now?.sequence}`).not.toBe(before?.text);
            }
            // Asked again after a gap (another format in between): still the next wording.
            expect(now?.wording, `${rotation.join("+")} ${key}`).not.toBe(before?.wording);
          }
        }
      }
    }
  });

  it("uses every wording of every key within a year, at every cadence", () => {
    for (const id of formatIds) {
      for (const question of catalog.retroFormat(id, "nl").questions) {
        const count = wordingsOf(question).length;
        expect(count).toBeGreaterThanOrEqual(MIN_WORDINGS);
        for (const cycles of CYCLES_A_YEAR) {
          const used = new Set(yearOf([id], question.key, cycles).map((shown) => shown.text));
          expect(used.size, `${id} ${question.key} over ${cycles} cycles`).toBe(count);
        }
      }
    }
    // A rotation of two formats, monthly: each is asked six times a year, enough for every wording.
    for (const key of keysOf("four-ls")) {
      const used = new Set(yearOf(["four-ls", "start-stop-continue"], key, 12).map((shown) => shown.text));
      expect(used.size, key).toBe(
        wordingsOf(catalog.retroFormat("four-ls", "nl").questions.find((q) => q.key === key) as never).length,
      );
    }
  });

  it("keeps the learning score the same question in every format, so its trend compares like with like", () => {
    for (const locale of LOCALES) {
      const banks = formatIds.map((id) => {
        const score = catalog.retroFormat(id, locale).questions.find((question) => question.key === LEARNING_SCORE_KEY);
        return score ? { wordings: wordingsOf(score), min: score.minLabel, max: score.maxLabel } : null;
      });
      for (const bank of banks) expect(bank).toEqual(banks[0]);
    }
  });

  it("takes an alternative's own hint, and the question's hint where the alternative has none", () => {
    const questions = [
      {
        key: "start",
        kind: "multiline" as const,
        text: "First?",
        hint: "The question's hint.",
        yields: "action" as const,
        required: true,
        alternatives: [{ text: "Second?" }, { text: "Third?", hint: "Its own hint." }],
      },
    ];
    const asked = [1, 2, 3, 4].map((sequence) => questionsInTurn(questions, sequence, [["start"]])[0]);
    expect(asked.map((question) => [question?.text, question?.hint, question?.wording])).toEqual([
      ["First?", "The question's hint.", 0],
      ["Second?", "The question's hint.", 1],
      ["Third?", "Its own hint.", 2],
      ["First?", "The question's hint.", 0],
    ]);
  });
});
