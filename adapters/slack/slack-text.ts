// Slack text rules. Slack reads `&`, `<` and `>` as control characters in every text field
// (`<!channel>`, `<@U123>`, `<https://…|link>`), so all text we send is escaped: nothing a
// person wrote can ping a channel or a colleague. mrkdwn has no escape for its formatting
// characters, so in text people wrote each gets a zero-width space on both sides: whichever
// way Slack classes that space, the character can neither open nor close bold, italics,
// strike or code, and `>` can't start a quote. Blocks with such text are also sent
// `verbatim`, so Slack doesn't turn bare URLs or @everyone-style words into links or mentions.
import { linkOf, plain, type Span, type Text, wellFormed } from "../../src/domain/message.ts";

const ZWSP = "\u200B";

export function escapeSlack(text: string): string {
  return wellFormed(text).replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** What a person typed, as Slack sends it (its three control characters escaped), back as they wrote it. */
export function unescapeSlack(text: string): string {
  return text.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");
}

/** Escaped text whose mrkdwn formatting characters can't pair up (see above). */
export function neutraliseMrkdwn(escaped: string): string {
  return escaped.replace(/[*_~`]/g, (mark) => `${ZWSP}${mark}${ZWSP}`).replaceAll("&gt;", `${ZWSP}&gt;`);
}

/** Plain text the renderer wraps in its own formatting (a field label, a form title). */
export function slackLabel(text: string): string {
  return neutraliseMrkdwn(escapeSlack(text));
}

/** Bot copy escaped, and keeping its formatting; user spans escaped and neutralised. */
export function slackText(text: Text): string {
  return text.map((span) => (typeof span === "string" ? escapeSlack(span) : userSpan(span))).join("");
}

/** A person's text neutralised; a link as Slack's own `<url|label>`, its label neutralised too. */
function userSpan(span: Exclude<Span, string>): string {
  const href = linkOf(span);
  if (!href) return slackLabel(span.user);
  return `<${escapeSlack(href).replaceAll("|", "%7C")}|${slackLabel(span.user)}>`;
}

/** For plain_text fields, which Slack never formats. */
export function slackPlainText(text: Text): string {
  return escapeSlack(plain(text));
}

/**
 * Cuts escaped text to `max` characters without breaking an entity (`&amp;`), ending in an
 * ellipsis when something was cut.
 */
export function clip(escaped: string, max: number): string {
  if (escaped.length <= max) return escaped;
  let cut = escaped.slice(0, max - 1);
  const amp = cut.lastIndexOf("&");
  if (amp >= 0 && !cut.slice(amp).includes(";")) cut = cut.slice(0, amp);
  return `${cut}…`;
}

/** Splits escaped text into pieces of at most `max` characters, at line or word breaks where it can. */
export function splitText(escaped: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = escaped;
  while (rest.length > max) {
    let at = rest.lastIndexOf("\n", max);
    if (at < max / 2) at = rest.lastIndexOf(" ", max);
    if (at < max / 2) at = max;
    const amp = rest.lastIndexOf("&", at);
    if (amp >= 0 && amp > at - 6 && !rest.slice(amp, at).includes(";")) at = amp;
    pieces.push(rest.slice(0, at));
    rest = rest.slice(at).replace(/^[\n ]/, "");
  }
  if (rest.length > 0 || pieces.length === 0) pieces.push(rest);
  return pieces;
}
