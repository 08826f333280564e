// The token field and a work item's link as each platform shows them: masked where it can be,
// never prefilled; the link opens the work item, its label stays inert text.
import { describe, expect, it } from "vitest";
import { renderMessages } from "../../adapters/slack/render-blocks.ts";
import { renderModal } from "../../adapters/slack/render-views.ts";
import { renderCards } from "../../adapters/teams/render-card.ts";
import { renderMessageHtml } from "../../adapters/web/render-html.ts";
import type { Message } from "../../src/domain/message.ts";
import { adaptiveCardProblems, findByType } from "../support/adaptive-card-check.ts";
import { prompts } from "../support/test-core.ts";

const form: Message = {
  fallback: "Takenbord koppelen",
  blocks: [
    {
      type: "form",
      formId: "tracker",
      title: "Takenbord koppelen",
      inputs: [
        { kind: "text", key: "url", label: "Adres", required: true, maxLength: 200, value: "https://g.atlassian.net" },
        { kind: "text", key: "token", label: "Token", required: true, maxLength: 500, secret: true },
      ],
      submit: { actionId: "tracker.submit", label: "Koppelen", value: "p1", style: "primary" },
    },
  ],
};

const linked: Message = {
  fallback: "Doorgezet naar Jira: LL-1",
  blocks: [
    {
      type: "paragraph",
      text: ["Doorgezet naar Jira: ", { user: "LL-1 <b>*x*</b>", href: "https://g.atlassian.net/browse/LL-1?a=1&b=2" }],
    },
    { type: "paragraph", text: ["Niet te openen: ", { user: "LL-2", href: "javascript:alert(1)" }] },
  ],
};

const webText = (_key: string) => "";

describe("the tracker form and links on each platform", () => {
  it("web chat: the token is a password field without a value; the link opens in a new tab, escaped", () => {
    const html = renderMessageHtml({ id: "m1", seq: "1", message: form }, webText);
    expect(html).toMatch(/<input type="password" autocomplete="off" id="[^"]+" name="token"/);
    expect(html).toContain('value="https://g.atlassian.net"');
    const link = renderMessageHtml({ id: "m2", seq: "2", message: linked }, webText);
    expect(link).toContain(
      '<a class="msg-link user-text" href="https://g.atlassian.net/browse/LL-1?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">LL-1 &lt;b&gt;*x*&lt;/b&gt;</a>',
    );
    expect(link).not.toContain("javascript:");
    expect(link).toContain('<span class="user-text">LL-2</span>');
  });

  it("Teams: the token is a Password input; the link is a TextRun that opens the work item", () => {
    const t = (key: string, vars?: Record<string, string | number>) => prompts.t("nl", `teams.${key}`, vars);
    const [card] = renderCards(form, t);
    expect(adaptiveCardProblems(card)).toEqual([]);
    const token = findByType(card, "Input.Text").find((input) => input.id === "token");
    expect(token).toMatchObject({ style: "Password" });
    expect(token?.value).toBeUndefined();
    const [linkCard] = renderCards(linked, t);
    expect(adaptiveCardProblems(linkCard)).toEqual([]);
    const runs = findByType(linkCard, "TextRun");
    expect(runs.find((run) => run.text === "LL-1 <b>*x*</b>")?.selectAction).toEqual({
      type: "Action.OpenUrl",
      url: "https://g.atlassian.net/browse/LL-1?a=1&b=2",
    });
    expect(runs.find((run) => run.text === "LL-2")?.selectAction).toBeUndefined();
  });

  it("Slack: the token field is never prefilled; the link is Slack's own <url|label>", () => {
    const copy = { answer: "Antwoorden", truncated: "ingekort", continued: "vervolg", close: "Sluiten" };
    const modal = renderModal(form, { value: "p1", actionId: "tracker.submit" } as never, copy);
    const token = JSON.stringify(modal?.blocks.find((block) => "block_id" in block && block.block_id === "token"));
    expect(token).toContain("plain_text_input");
    expect(token).not.toContain("initial_value");
    const [payload] = renderMessages(linked, copy);
    const text = JSON.stringify(payload?.blocks);
    expect(text).toContain("<https://g.atlassian.net/browse/LL-1?a=1&amp;b=2|LL-1 &lt;b");
    expect(text).not.toContain("<b>");
    expect(text).not.toContain("javascript:");
  });
});
