// Slack text rules. Slack reads `&`, `<` and `>` as control characters in every text field
// (`<!channel>`, `<@U123>`, `<https://…|link>`), so all text we send is escaped: nothing a
// person wrote can ping a channel or a colleague.
import { plain, type Text } from "../../src/domain/message.ts";

export function escapeSlack(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** Bot copy and user spans alike: escaped, joined. */
export function slackText(text: Text): string {
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
