/** What an admin asked of the organisation's days off. */
export type DaysOffRequest =
  | { action: "list" }
  | { action: "add" | "remove"; dates: string[] }
  | { action: "add" | "remove"; problem: "unclear" | "range" }
  | { action: "add" | "remove"; problem: "date"; text: string };

/** The longest range one command adds or removes: a year's collective days off fit easily. */
export const MAX_DAYS_OFF_RANGE = 62;

const ACTIONS: Record<string, "add" | "remove"> = {
  add: "add",
  toevoegen: "add",
  remove: "remove",
  verwijderen: "remove",
};

const RANGE_WORDS = new Set(["t/m", "tm", "tot", "to", "until", "through", "-", "–"]);

function datesBetween(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let day = new Date(`${from}T00:00:00Z`); day <= new Date(`${to}T00:00:00Z`); ) {
    dates.push(day.toISOString().slice(0, 10));
    day = new Date(day.getTime() + 86_400_000);
  }
  return dates;
}

/**
 * "", "add 2026-12-28 2026-12-31", "toevoegen 28-12-2026 t/m 31-12-2026", "remove 2026-12-28":
 * two dates are a range, both ends included. `parseDate` turns one written date into ISO or null.
 */
export function parseDaysOff(rest: string, parseDate: (text: string) => string | null): DaysOffRequest {
  const words = rest.toLowerCase().split(" ").filter(Boolean);
  if (words.length === 0) return { action: "list" };
  const action = ACTIONS[words[0] ?? ""];
  if (!action) return { action: "add", problem: "unclear" };
  const written = words.slice(1).filter((word) => !RANGE_WORDS.has(word));
  if (written.length < 1 || written.length > 2) return { action, problem: "unclear" };
  const dates: string[] = [];
  for (const text of written) {
    const date = parseDate(text);
    if (!date) return { action, problem: "date", text: text.slice(0, 20) };
    dates.push(date);
  }
  const [from = "", to = from] = dates;
  const range = datesBetween(from, to);
  if (range.length === 0 || range.length > MAX_DAYS_OFF_RANGE) return { action, problem: "range" };
  return { action, dates: range };
}

/**
 * A days-off file: one day ("2026-12-24") or range ("28-12-2026,31-12-2026") a line, an
 * optional third column a note; blank lines, "#" comments and a header are passed over.
 */
export function parseDaysOffFile(
  text: string,
  parseDate: (text: string) => string | null,
): { dates: string[] } | { problems: { line: number; text: string }[] } {
  const dates = new Set<string>();
  const problems: { line: number; text: string }[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const cells = raw.split(/[,;]/).map((cell) => cell.trim());
    const [first = "", second = ""] = cells;
    if (first === "" || first.startsWith("#") || (index === 0 && !/\d/.test(first))) return;
    const from = parseDate(first);
    const to = second === "" ? from : parseDate(second);
    const range = from && to ? datesBetween(from, to) : [];
    if (range.length === 0 || range.length > MAX_DAYS_OFF_RANGE)
      problems.push({ line: index + 1, text: raw.slice(0, 40) });
    for (const date of range) dates.add(date);
  });
  return problems.length > 0 ? { problems } : { dates: [...dates].sort() };
}
