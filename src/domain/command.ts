// Chat commands, in English and Dutch. The text after the slash command or in a DM.

export type Command =
  | { name: "help" }
  | { name: "retro-now" }
  | { name: "lessons"; query: string }
  | { name: "actions" }
  | { name: "unknown"; text: string };

const ALIASES: Record<string, Command["name"]> = {
  help: "help",
  hulp: "help",
  "?": "help",
  "retro now": "retro-now",
  "retro nu": "retro-now",
  lessons: "lessons",
  lessen: "lessons",
  actions: "actions",
  acties: "actions",
};

export function parseCommand(input: string): Command {
  const text = input.trim().replace(/\s+/g, " ");
  const lower = text.toLowerCase();
  if (lower === "") return { name: "help" };
  for (const [alias, name] of Object.entries(ALIASES)) {
    if (lower === alias || lower.startsWith(`${alias} `)) {
      const rest = text.slice(alias.length).trim();
      if (name === "lessons") return { name, query: rest };
      if (rest === "") return { name } as Command;
    }
  }
  return { name: "unknown", text };
}
