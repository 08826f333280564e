import { describe, expect, it } from "vitest";
import { renderMessage, renderMessages } from "../../adapters/slack/render-blocks.ts";
import { readAnswers, renderHome, renderModal } from "../../adapters/slack/render-views.ts";
import type { Message } from "../../src/domain/message.ts";
import { blockProblems, viewProblems } from "../support/block-kit-limits.ts";

const copy = { answer: "Answer", close: "Cancel", truncated: "Shortened.", continued: "Continued." };
const ping = "<!channel> <!here> <@U123> & more ";

const huge: Message = {
  fallback: `Long ${ping}`.repeat(2000),
  blocks: [
    { type: "heading", text: [ping.repeat(10)] },
    ...Array.from({ length: 80 }, (_, i) => ({
      type: "paragraph" as const,
      text: [`Part ${i} `, { user: ping.repeat(200) }],
    })),
    {
      type: "fields",
      fields: Array.from({ length: 23 }, (_, i) => ({ label: `F${i}`, value: [{ user: ping.repeat(100) }] })),
    },
    {
      type: "actions",
      buttons: Array.from({ length: 30 }, (_, i) => ({ actionId: "same", label: ping.repeat(5), value: `v${i}` })),
    },
  ],
};

describe("Slack Block Kit renderer", () => {
  it("splits a long message into several valid messages and escapes every mention", () => {
    const payloads = renderMessages(huge, copy);
    expect(payloads.length).toBeGreaterThan(1);
    for (const payload of payloads) expect(blockProblems(payload.blocks as never, 50)).toEqual([]);
    const all = JSON.stringify(payloads);
    expect(all).not.toMatch(/<!channel>|<!here>|<@U123>/);
    expect(all).toContain("&lt;!channel&gt;");
  });

  it("cuts one message (an update) at 50 blocks with a visible note", () => {
    const payload = renderMessage(huge, copy);
    expect(payload.blocks).toHaveLength(50);
    expect(JSON.stringify(payload.blocks.at(-1))).toContain("Shortened.");
    expect(blockProblems(payload.blocks as never, 50)).toEqual([]);
  });

  it("renders a form as a modal within limits, keeping input keys as block ids", () => {
    const form: Message = {
      fallback: "form",
      blocks: [
        { type: "context", text: [ping] },
        {
          type: "form",
          formId: "f",
          title: "A title much longer than twenty-four characters",
          submit: { actionId: "retro.answer", label: "Send all of my answers now please", value: "cycle-1" },
          inputs: [
            { kind: "text", key: "a", label: ping, required: true, maxLength: 5000, value: "<@U1> kept as typed" },
            { kind: "multiline", key: "b", label: "B", required: false, maxLength: 2000 },
            {
              kind: "choice",
              key: "c",
              label: "C",
              required: true,
              options: [{ value: "x", label: ping }],
              value: "x",
            },
            {
              kind: "scale",
              key: "d",
              label: "D",
              required: true,
              min: 1,
              max: 5,
              minLabel: "low",
              maxLabel: "high",
              value: 3,
            },
          ],
        },
      ],
    };
    const view = renderModal(
      form,
      { actionId: "retro.answer", value: "cycle-1", conversationRef: "slack:T1:D1:U1" },
      copy,
    );
    expect(view).not.toBeNull();
    expect(viewProblems(view as never)).toEqual([]);
    const inputs = (view?.blocks ?? []).filter((block) => block.type === "input");
    expect(inputs.map((block) => block.block_id)).toEqual(["a", "b", "c", "d"]);
    expect(
      readAnswers({
        a: { a: { type: "plain_text_input", value: "hi" } },
        b: { b: { type: "plain_text_input", value: null } },
        d: { d: { type: "radio_buttons", selected_option: { value: "4" } } },
      }),
    ).toEqual({ a: "hi", b: "", d: "4" });
  });

  it("keeps the home tab at 100 blocks", () => {
    const home = renderHome(huge, copy);
    expect(home.blocks.length).toBeLessThanOrEqual(100);
    expect(viewProblems(home as never)).toEqual([]);
  });
});
