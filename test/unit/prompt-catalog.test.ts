import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { LOCALES } from "../../src/domain/locale.ts";
import { CHECKPOINT_PHASES, PHASES } from "../../src/domain/phase.ts";
import { suggestThemes } from "../../src/domain/theme-tagging.ts";
import { createPromptCatalog } from "../../src/prompts/prompt-catalog.ts";
import { LEARNING_SCORE_KEY } from "../../src/prompts/schemas.ts";

const PROMPTS = fileURLToPath(new URL("../../prompts", import.meta.url));
const catalog = createPromptCatalog(PROMPTS);

const temporary: string[] = [];
afterEach(() => {
  for (const directory of temporary.splice(0)) rmSync(directory, { recursive: true, force: true });
});

/** A copy of the real prompts/ with some files added or replaced. */
function promptsWith(files: Record<string, string>): string {
  const directory = mkdtempSync(join(tmpdir(), "leerlus-prompts-"));
  temporary.push(directory);
  cpSync(PROMPTS, directory, { recursive: true });
  for (const [path, text] of Object.entries(files)) writeFileSync(join(directory, path), text);
  return directory;
}

const FIXTURE = {
  "fixture.nl.yaml": [
    "greeting: 'Hallo {name}, welkom bij {project}.'",
    "open-actions:",
    "  one: 'Je hebt {count} open actie.'",
    "  other: 'Je hebt {count} open acties.'",
    "lessons:",
    "  zero: 'Nog geen lessen.'",
    "  one: 'Eén les.'",
    "  other: '{count} lessen.'",
    "",
  ].join("\n"),
  "fixture.en.yaml": [
    "greeting: 'Hello {name}, welcome to {project}.'",
    "open-actions:",
    "  one: 'You have {count} open action.'",
    "  other: 'You have {count} open actions.'",
    "lessons:",
    "  zero: 'No lessons yet.'",
    "  one: 'One lesson.'",
    "  other: '{count} lessons.'",
    "",
  ].join("\n"),
};

describe("createPromptCatalog on the real prompts/", () => {
  it("loads messages from the messages namespace without a prefix", () => {
    expect(catalog.t("nl", "help.title")).toBeTruthy();
    expect(catalog.t("en", "help.title")).toBeTruthy();
  });

  it("offers the generic and the phase retro formats", () => {
    expect(catalog.retroFormatIds()).toEqual(
      expect.arrayContaining([
        "start-stop-continue",
        "four-ls",
        "after-action-review",
        ...PHASES.map((phase) => `phase-${phase}`),
      ]),
    );
  });

  describe.each(catalog.retroFormatIds())("retro format %s", (id) => {
    it.each(LOCALES)("in %s has a lesson and an action question and ends with the learning score", (locale) => {
      const format = catalog.retroFormat(id, locale);
      expect(format).toMatchObject({ id, locale });
      expect(format.name).toBeTruthy();
      expect(format.intro).toBeTruthy();
      expect(format.questions.length).toBeGreaterThanOrEqual(3);
      expect(format.questions.length).toBeLessThanOrEqual(6);
      expect(format.questions.some((question) => question.yields === "lesson")).toBe(true);
      expect(format.questions.some((question) => question.yields === "action")).toBe(true);
      const last = format.questions.at(-1);
      expect(last).toMatchObject({ key: LEARNING_SCORE_KEY, kind: "scale", required: true });
      expect(last?.minLabel).toBeTruthy();
      expect(last?.maxLabel).toBeTruthy();
    });
  });

  it("throws for an unknown retro format", () => {
    expect(() => catalog.retroFormat("nope", "nl")).toThrow("RETRO_FORMAT_UNKNOWN: nope");
  });

  it.each(LOCALES)("has checkpoints for every phase and the closing decision in %s, each with a source", (locale) => {
    for (const phase of CHECKPOINT_PHASES) {
      const checkpoints = catalog.checkpoints(phase, locale);
      expect(checkpoints.length, phase).toBeGreaterThanOrEqual(5);
      expect(checkpoints.every((checkpoint) => checkpoint.phase === phase)).toBe(true);
      expect(checkpoints.some((checkpoint) => checkpoint.strength === "required")).toBe(true);
      expect(checkpoints.every((checkpoint) => checkpoint.source.startsWith("https://"))).toBe(true);
      expect(checkpoints.every((checkpoint) => checkpoint.mustMeet === (checkpoint.strength === "required"))).toBe(
        true,
      );
    }
    // The closing decision's checks are all checked at that decision.
    expect(catalog.checkpoints("finished", locale).every((checkpoint) => checkpoint.when === "before-start")).toBe(
      true,
    );
  });

  it("covers the instruments a municipality recognises, at the moment the law needs them", () => {
    const all = CHECKPOINT_PHASES.flatMap((phase) => catalog.checkpoints(phase, "en"));
    const byKey = new Map(all.map((checkpoint) => [checkpoint.key, checkpoint]));
    for (const key of [
      "gdpr-basics",
      "privacy-quickscan",
      "dpia-before-start",
      "processor-agreement",
      "security-risk-analysis",
      "security-acceptance",
      "retention-configured",
      "project-file-archived",
      "woo-evaluation",
      "accessibility-statement",
      "accessibility-a-b",
      "ai-classification",
      "ai-literacy",
      "ai-disclosure",
      "fria-iama",
      "high-risk-duties",
      "algorithm-register",
      "deda-done",
      "definitive-procurement",
      "open-source-unless",
      "reusable-publiccode",
      "business-case",
      "structural-budget",
      "sponsor-mandate",
      "works-council-pilot",
      "ownership-embedded",
      "in-operation",
      "review-calendar",
    ]) {
      expect(byKey.has(key), key).toBe(true);
    }
    // The DPIA is done before processing starts, and the FG advises rather than signs off.
    expect(byKey.get("dpia-before-start")).toMatchObject({
      phase: "pilot",
      when: "before-start",
      strength: "required",
    });
    expect(byKey.get("dpia-before-start")?.appliesIf).toEqual(["personal-data"]);
    expect(byKey.get("deda-done")?.strength).toBe("recommended");
    expect(byKey.get("reusable-publiccode")?.strength).toBe("apply-or-explain");
    // A date that is still moving is data with its source.
    expect(byKey.get("high-risk-duties")?.requiredFrom).toMatchObject({ date: "2027-12-02" });
  });

  it("uses checkpoint keys that are unique across phases", () => {
    const keys = CHECKPOINT_PHASES.flatMap((phase) =>
      catalog.checkpoints(phase, "en").map((checkpoint) => checkpoint.key),
    );
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each(LOCALES)("has an informal and a formal intervention for every theme in %s", (locale) => {
    const themes = catalog.themes(locale);
    expect(themes.length).toBeGreaterThanOrEqual(8);
    const interventions = catalog.interventions(locale);
    for (const theme of themes) {
      const kinds = interventions.filter((item) => item.theme === theme.id).map((item) => item.kind);
      expect(kinds, theme.id).toContain("informal");
      expect(kinds, theme.id).toContain("formal");
    }
  });

  it("tags lessons with themes through the keywords", () => {
    expect(suggestThemes("We hebben de inwoners te laat betrokken bij het ontwerp", catalog.themes("nl"))).toContain(
      "user-involvement",
    );
    expect(suggestThemes("The DPIA took months and privacy questions came late", catalog.themes("en"))).toContain(
      "data-ethics-privacy",
    );
    expect(suggestThemes("Niemand in de lijnorganisatie wilde eigenaar worden", catalog.themes("nl"))).toContain(
      "governance-ownership",
    );
  });

  it("hands out arrays the caller may change without touching the cache", () => {
    const first = catalog.checkpoints("pilot", "nl");
    first.length = 0;
    expect(catalog.checkpoints("pilot", "nl").length).toBeGreaterThan(0);
    expect(Object.isFrozen(catalog.retroFormat("four-ls", "en").questions[0])).toBe(true);
  });
});

describe("t()", () => {
  const withFixture = () => createPromptCatalog(promptsWith(FIXTURE));

  it("prefixes other namespaces and fills placeholders", () => {
    expect(withFixture().t("nl", "fixture.greeting", { name: "Sanne", project: "Slim parkeren" })).toBe(
      "Hallo Sanne, welkom bij Slim parkeren.",
    );
  });

  it("chooses the plural form by count", () => {
    const prompts = withFixture();
    expect(prompts.t("en", "fixture.open-actions", { count: 1 })).toBe("You have 1 open action.");
    expect(prompts.t("en", "fixture.open-actions", { count: 3 })).toBe("You have 3 open actions.");
    expect(prompts.t("nl", "fixture.open-actions", { count: 0 })).toBe("Je hebt 0 open acties.");
    expect(prompts.t("nl", "fixture.lessons", { count: 0 })).toBe("Nog geen lessen.");
    expect(prompts.t("nl", "fixture.lessons", { count: 12 })).toBe("12 lessen.");
  });

  it("throws on a missing var or a plural without count", () => {
    const prompts = withFixture();
    expect(() => prompts.t("nl", "fixture.greeting", { name: "Sanne" })).toThrow(/PROMPT_VAR_MISSING: \{project\}/);
    expect(() => prompts.t("nl", "fixture.open-actions")).toThrow(/PROMPT_VAR_MISSING: \{count\}/);
  });

  it("throws on an unknown key", () => {
    expect(() => catalog.t("nl", "does.not.exist")).toThrow("PROMPT_KEY_MISSING: does.not.exist");
  });
});

describe("invalid prompt files", () => {
  it("names the file and the bad field", () => {
    const directory = promptsWith({
      "retro/four-ls.en.yaml": [
        "name: Four Ls",
        "intro: Look back.",
        "questions:",
        "  - { key: learned, kind: essay, text: What did you learn?, yields: lesson, required: true }",
        "  - { key: longed-for, kind: multiline, text: What now?, yields: action, required: true }",
        "  - { key: learning-score, kind: scale, text: How well?, minLabel: Hardly, maxLabel: Very, yields: none, required: true }",
      ].join("\n"),
    });
    expect(() => createPromptCatalog(directory)).toThrow(/four-ls\.en\.yaml.*questions\.0\.kind/);
  });

  it("rejects a format that does not end with the learning score", () => {
    const directory = promptsWith({
      "retro/four-ls.nl.yaml": [
        "name: Vier L'en",
        "intro: Terugkijken.",
        "questions:",
        "  - { key: learned, kind: multiline, text: Wat leerde je?, yields: lesson, required: true,",
        "      alternatives: [{ text: Wat weet je nu? }, { text: Welk inzicht neem je mee? }] }",
        "  - { key: longed-for, kind: multiline, text: Wat nu?, yields: action, required: true,",
        "      alternatives: [{ text: Wat veranderen we? }, { text: Wat pakken we op? }] }",
      ].join("\n"),
    });
    expect(() => createPromptCatalog(directory)).toThrow(/four-ls\.nl\.yaml.*questions\.1\.key.*learning-score/);
  });

  it("rejects a question with fewer than three wordings, or one wording twice", () => {
    const format = (alternatives: string) =>
      [
        "name: Vier L's",
        "intro: Terugkijken.",
        "questions:",
        `  - { key: learned, kind: multiline, text: Wat leerde je?, yields: lesson, required: true, alternatives: ${alternatives} }`,
        "  - { key: longed-for, kind: multiline, text: Wat nu?, yields: action, required: true,",
        "      alternatives: [{ text: Wat veranderen we? }, { text: Wat pakken we op? }] }",
        "  - { key: learning-score, kind: scale, text: Hoe goed?, minLabel: Nauwelijks, maxLabel: Heel goed, yields: none, required: true,",
        "      alternatives: [{ text: Hoe goed lukte het? }, { text: Hoe goed ging het? }] }",
      ].join("\n");
    expect(() =>
      createPromptCatalog(promptsWith({ "retro/four-ls.nl.yaml": format("[{ text: Wat weet je nu? }]") })),
    ).toThrow(/four-ls\.nl\.yaml: questions\.0\.alternatives: needs at least 2 alternative wordings/);
    expect(() =>
      createPromptCatalog(
        promptsWith({ "retro/four-ls.nl.yaml": format("[{ text: Wat weet je nu? }, { text: Wat leerde je? }]") }),
      ),
    ).toThrow(/four-ls\.nl\.yaml: questions\.0\.alternatives\.1\.text: repeats another wording/);
  });

  it("names the message file and the key of a value that is not a text", () => {
    const directory = promptsWith({
      "fixture.nl.yaml": "card:\n  title: 3\n",
      "fixture.en.yaml": "card:\n  title: x\n",
    });
    expect(() => createPromptCatalog(directory)).toThrow(/fixture\.nl\.yaml: card\.title: expected a text/);
  });

  it("names the file on a YAML syntax error", () => {
    const directory = promptsWith({ "themes.en.yaml": "themes: [\n  - id: oops" });
    expect(() => createPromptCatalog(directory)).toThrow(/themes\.en\.yaml/);
  });

  it("rejects a file that exists in one language only", () => {
    const directory = promptsWith({ "extra.nl.yaml": "title: Alleen Nederlands\n" });
    expect(() => createPromptCatalog(directory)).toThrow(/extra\.en\.yaml/);
  });

  it("rejects an intervention for an unknown theme", () => {
    const intervention =
      "interventions:\n  - { id: x, theme: no-such-theme, kind: formal, title: T, description: D }\n";
    const directory = promptsWith({ "interventions.nl.yaml": intervention });
    expect(() => createPromptCatalog(directory)).toThrow(/interventions\.nl\.yaml.*interventions\.0\.theme/);
  });

  it("rejects a key defined twice across message files", () => {
    const directory = promptsWith({ "help.nl.yaml": "title: Dubbel\n", "help.en.yaml": "title: Twice\n" });
    expect(() => createPromptCatalog(directory)).toThrow(/help\.title/);
  });
});
