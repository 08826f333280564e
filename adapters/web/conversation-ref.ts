// Web conversation references: `web:dm:<personId>` and `web:channel:<projectId>`.
// The core keeps them opaque; only this adapter looks inside.

export type ParsedConversationRef = { kind: "direct"; personId: string } | { kind: "channel"; projectId: string };

const PATTERN = /^web:(dm|channel):([A-Za-z0-9_-]{1,100})$/;

export function directRef(personId: string): string {
  return `web:dm:${personId}`;
}

export function parseConversationRef(ref: string): ParsedConversationRef | null {
  const match = PATTERN.exec(ref);
  if (!match) return null;
  const [, kind, id] = match as unknown as [string, "dm" | "channel", string];
  return kind === "dm" ? { kind: "direct", personId: id } : { kind: "channel", projectId: id };
}
