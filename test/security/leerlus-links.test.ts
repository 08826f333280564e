import { describe, expect, it } from "vitest";
import { renderMessageHtml } from "../../adapters/web/render-html.ts";
import type { Message } from "../../src/domain/message.ts";
import { createLinkSigner } from "../../src/use-cases/signed-link.ts";
import { prompts } from "../support/test-core.ts";

const t = (key: string, vars?: Record<string, string | number>) => prompts.t("nl", `web.${key}`, vars);
const token = createLinkSigner("a-secret-of-sixteen-plus").sign({
  personId: "p1",
  purpose: "web:portfolio",
  expiresAt: new Date("2030-01-01T00:00:00Z"),
});

// Only links Leerlus wrote become anchors, with a short label and a path on this server;
// the same URL (or markup) in what a person wrote stays text.
describe("links in the web chat", () => {
  const render = (message: Message) => renderMessageHtml({ id: "m1", seq: "1", message }, t);

  it("turns a Leerlus page URL in bot copy into a labelled same-site link", () => {
    const html = render({
      fallback: "x",
      blocks: [{ type: "paragraph", text: [`Je projectenoverzicht: https://leerlus.example/signin?token=${token}.`] }],
    });
    expect(html).toContain(
      `Je projectenoverzicht: <a class="msg-link" href="/signin?token=${token}">Open het projectenoverzicht</a>.`,
    );
  });

  it("leaves other URLs in bot copy, and every URL a person wrote, as text", () => {
    const html = render({
      fallback: "x",
      blocks: [
        { type: "paragraph", text: ["Zie https://elders.example/pagina"] },
        {
          type: "paragraph",
          text: [{ user: `https://leerlus.example/signin?token=${token} <a href="https://evil.example">x</a>` }],
        },
      ],
    });
    expect(html).not.toContain("<a ");
    expect(html).toContain("Zie https://elders.example/pagina");
    expect(html).toContain("&lt;a href=&quot;https://evil.example&quot;&gt;x&lt;/a&gt;");
  });
});
