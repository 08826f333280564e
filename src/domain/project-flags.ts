// Yes/no facts about a project, asked at intake and changeable by the lead. They decide
// which checkpoints apply: a checkpoint whose flags are all answered "no" is not applicable.
export const PROJECT_FLAGS = [
  "personal-data",
  "external-processor",
  "staff-data",
  "ai-system",
  "high-risk-ai",
  "website-app",
  "procurement",
  "own-software",
  "partnership",
] as const;
export type ProjectFlag = (typeof PROJECT_FLAGS)[number];

/** Answered flags only: a flag missing from the map was never asked and counts as "maybe". */
export type ProjectFlags = Partial<Record<ProjectFlag, boolean>>;

export function isProjectFlag(name: string): name is ProjectFlag {
  return (PROJECT_FLAGS as readonly string[]).includes(name);
}

/** The stored `Project.flags` JSON, keeping only known flags with a boolean answer. */
export function readFlags(stored: unknown): ProjectFlags {
  const flags: ProjectFlags = {};
  if (typeof stored !== "object" || stored === null || Array.isArray(stored)) return flags;
  for (const flag of PROJECT_FLAGS) {
    const value = (stored as Record<string, unknown>)[flag];
    if (typeof value === "boolean") flags[flag] = value;
  }
  return flags;
}

/**
 * Whether a checkpoint guarded by `appliesIf` applies: always when it names no flag, and
 * otherwise unless every flag it names was answered "no" (an unanswered flag could be yes).
 */
export function appliesTo(appliesIf: readonly ProjectFlag[], flags: ProjectFlags): boolean {
  return appliesIf.length === 0 || appliesIf.some((flag) => flags[flag] !== false);
}

const YES: Record<string, boolean> = { yes: true, ja: true, y: true, j: true, no: false, nee: false, n: false };

/** "yes" / "ja" / "no" / "nee"; null for anything else. */
export function parseYesNo(text: string): boolean | null {
  return YES[text.trim().toLowerCase()] ?? null;
}

// Dutch and English words in a mission that hint at a flag. A hint is only offered to the
// lead, never set by itself: the lead knows the project, the words only suggest.
const HINTS: Record<ProjectFlag, RegExp> = {
  "personal-data":
    /\b(inwoners?|bewoners?|burgers?|cli[eë]nten?|residents?|citizens?|persoonsgegevens|personal data|zorg|care|uitkering|benefits?)\b/i,
  "external-processor": /\b(leverancier|vendor|saas|cloud|hosting|supplier)\b/i,
  "staff-data": /\b(medewerkers?|personeel|staff|employees?|hr)\b/i,
  "ai-system": /\b(ai|algoritmes?|algorithms?|chatbot|machine learning|voorspel\w*|predict\w*|model)\b/i,
  "high-risk-ai": /\b(fraude|fraud|toekenning|eligibility|handhaving|enforcement|risicoprofiel\w*|profiling)\b/i,
  "website-app": /\b(website|app|portaal|portal|formulier|online)\b/i,
  procurement: /\b(inkoop|aanbesteding|procurement|leverancier|vendor|licenties?|licen[cs]es?)\b/i,
  "own-software": /\b(software|code|ontwikkel\w*|develop\w*|bouwen|build)\b/i,
  partnership: /\b(gemeenten|regio\w*|samenwerking|partners?|partnership|municipalities)\b/i,
};

/** Domains whose projects usually handle residents' personal data. */
const PERSONAL_DATA_DOMAINS = new Set(["social", "care", "health", "sociaal-domein", "zorg", "participation"]);

/** Flags the mission or domain hint at that the lead has not answered yet. */
export function suggestFlags(mission: string, domain: string, flags: ProjectFlags): ProjectFlag[] {
  return PROJECT_FLAGS.filter(
    (flag) =>
      flags[flag] === undefined &&
      (HINTS[flag].test(mission) || (flag === "personal-data" && PERSONAL_DATA_DOMAINS.has(domain))),
  );
}
