import { describe, expect, it } from "vitest";
import { renderMessageHtml } from "../../adapters/web/render-html.ts";
import type { Message } from "../../src/domain/message.ts";
import { prompts } from "../support/test-core.ts";

const t = (key: string, vars?: Record<string, string | number>) => prompts.t("nl", `web.${key}`, vars);
const hostile = '"><img src=x onerror=alert(1)> bewoners vroeg betrekken bij de planning';

const review: Message = {
  fallback: "Acties",
  blocks: [
    { type: "heading", text: ["Acties van vorige keer"] },
    { type: "paragraph", text: [{ user: hostile }] },
    { type: "actions", buttons: [{ actionId: "action.done", label: "Gedaan", value: "a1" }] },
    { type: "paragraph", text: [{ user: "Sensoren ijken" }] },
    { type: "actions", buttons: [{ actionId: "action.done", label: "Gedaan", value: "a2" }] },
  ],
};

describe("web chat rendering for keyboard and screen reader users", () => {
  it("names each repeated button after its item, with the item's text kept inert", () => {
    const html = renderMessageHtml({ id: "m1", seq: "1", message: review }, t);
    const labels = [...html.matchAll(/aria-label="([^"]*)"/g)].map((match) => match[1]);
    expect(labels).toEqual([
      "Gedaan: &quot;&gt;&lt;img src=x onerror=alert(1)&gt; bewoners vroeg betrekken…",
      "Gedaan: Sensoren ijken",
    ]);
    expect(html).not.toContain("<img");
  });

  it("leaves a single row of buttons with its own label", () => {
    const one: Message = { fallback: "x", blocks: review.blocks.slice(0, 3) };
    expect(renderMessageHtml({ id: "m2", seq: "2", message: one }, t)).not.toContain("aria-label");
  });

  it("shows a message that carries every language in the reader's own", () => {
    const nl: Message = { fallback: "Retro begonnen", blocks: [{ type: "paragraph", text: ["Retro begonnen"] }] };
    const en: Message = { fallback: "Retro started", blocks: [{ type: "paragraph", text: ["Retro started"] }] };
    const stored = { id: "m3", seq: "3", message: { ...nl, byLocale: { nl, en } } };
    expect(renderMessageHtml(stored, t, { locale: "en" })).toContain("Retro started");
    expect(renderMessageHtml(stored, t, { locale: "en" })).not.toContain("Retro begonnen");
    expect(renderMessageHtml(stored, t, { locale: "nl" })).toContain("Retro begonnen");
  });
});
