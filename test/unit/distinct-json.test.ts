import { describe, expect, it } from "vitest";
import { distinctJson } from "../../src/persistence/distinct-json.ts";

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
});
