// `lessons <words> theme:… phase:… project:… discipline:… domain:…`: the words go to the full-text
// search (quotes make a phrase); `key:value` tokens filter, a comma separating values.

export type LessonQuery = {
  words: string;
  themes: string[];
  phases: string[];
  projects: string[];
  disciplines: string[];
  domains: string[];
};

const FILTER_KEYS: Record<string, "themes" | "phases" | "projects" | "disciplines" | "domains"> = {
  theme: "themes",
  thema: "themes",
  phase: "phases",
  fase: "phases",
  project: "projects",
  discipline: "disciplines",
  domain: "domains",
  domein: "domains",
};

/** Splits the filters from the words; a filter value may be quoted (`project:"slim parkeren"`). */
export function parseLessonQuery(input: string): LessonQuery {
  const query: LessonQuery = { words: "", themes: [], phases: [], projects: [], disciplines: [], domains: [] };
  const words: string[] = [];
  const pattern = /([a-z]+):(?:"([^"]*)"|(\S*))|"[^"]*"?|\S+/gi;
  for (const match of input.matchAll(pattern)) {
    const key = match[1]?.toLowerCase();
    const field = key ? FILTER_KEYS[key] : undefined;
    if (!field) {
      words.push(match[0]);
      continue;
    }
    const values = (match[2] ?? match[3] ?? "")
      .split(",")
      .map((value) => value.trim())
      .filter(Boolean);
    query[field].push(...values);
  }
  query.words = words.join(" ").trim();
  return query;
}

/** Resolves what a person typed to known ids: an id, its start, or a word of a label in any language. */
export function resolveIds(values: string[], known: { id: string; labels: string[] }[]): string[] {
  const result = new Set<string>();
  for (const raw of values) {
    const value = raw.toLowerCase();
    const exact = known.find((item) => item.id === value || item.labels.some((label) => label.toLowerCase() === value));
    const matches = exact
      ? [exact]
      : known.filter(
          (item) => item.id.startsWith(value) || item.labels.some((label) => label.toLowerCase().includes(value)),
        );
    // Unknown values still filter (to nothing), so a typo does not silently widen the search.
    if (matches.length === 0) result.add(value);
    for (const item of matches) result.add(item.id);
  }
  return [...result];
}
