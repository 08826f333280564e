import { describe, expect, it } from "vitest";
import { distinctJson, jsonArray } from "../../src/persistence/distinct-json.ts";

describe("distinct JSON values", () => {
  it("lists each distinct value once, in first-seen order, and points every value at its own", () => {
    const prompt = { text: "Retro open", blocks: [1, 2] };
    const other = { text: "Acties" };
    const values = [prompt, { text: "Retro open", blocks: [1, 2] }, other, prompt, null];
    expect(distinctJson(values)).toEqual({
      texts: ['{"text":"Retro open","blocks":[1,2]}', '{"text":"Acties"}', "null"],
      indexes: [0, 0, 1, 0, 2],
    });
    expect(distinctJson([])).toEqual({ texts: [], indexes: [] });
  });

  it("joins JSON texts into one JSON array that reads back as the values", () => {
    const values = [{ text: 'Zeven "collega\'s" \\ {a,b}' }, null, [1, "x"]];
    const { texts } = distinctJson(values);
    expect(JSON.parse(jsonArray(texts))).toEqual(values);
    expect(jsonArray([])).toBe("[]");
  });
});
