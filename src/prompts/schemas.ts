import { z } from "zod";
import { CHECKPOINT_OWNERS, CHECKPOINT_WHEN, STRENGTHS } from "../domain/checkpoint-definition.ts";
import { PROJECT_FLAGS } from "../domain/project-flags.ts";

/** The last question of every retro format, so participation and learning can be compared across formats. */
export const LEARNING_SCORE_KEY = "learning-score";

const text = z.string().trim().min(1, "must not be empty");
const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be kebab-case (a-z, 0-9 and dashes)");

/** Reports a duplicate value of `field` in a list, at the path of the second occurrence. */
function uniqueBy<T>(list: T[], field: keyof T & string, listPath: string, ctx: z.RefinementCtx): void {
  const seen = new Set<unknown>();
  list.forEach((item, index) => {
    const value = item[field];
    if (seen.has(value)) {
      ctx.addIssue({
        code: "custom",
        path: [listPath, index, field],
        message: `duplicate ${field} "${String(value)}"`,
      });
    }
    seen.add(value);
  });
}

/** Wordings a question needs at least, its own text included, so no team reads one sentence every retro. */
export const MIN_WORDINGS = 3;

const wordingSchema = z.strictObject({ text, hint: text.optional() });

export const questionSchema = z
  .strictObject({
    key: slug,
    kind: z.enum(["text", "multiline", "scale"]),
    text,
    hint: text.optional(),
    yields: z.enum(["lesson", "action", "none"]),
    required: z.boolean(),
    minLabel: text.optional(),
    maxLabel: text.optional(),
    alternatives: z
      .array(wordingSchema)
      .min(MIN_WORDINGS - 1, `needs at least ${MIN_WORDINGS - 1} alternative wordings, so the question stays fresh`),
  })
  .superRefine((question, ctx) => {
    const texts = [question.text, ...question.alternatives.map((wording) => wording.text)];
    texts.forEach((wording, index) => {
      if (texts.indexOf(wording) !== index) {
        ctx.addIssue({ code: "custom", path: ["alternatives", index - 1, "text"], message: "repeats another wording" });
      }
    });
    const isScale = question.kind === "scale";
    for (const label of ["minLabel", "maxLabel"] as const) {
      if (isScale && question[label] === undefined) {
        ctx.addIssue({ code: "custom", path: [label], message: "a scale question needs minLabel and maxLabel" });
      }
      if (!isScale && question[label] !== undefined) {
        ctx.addIssue({ code: "custom", path: [label], message: "only scale questions have labels" });
      }
    }
    // A score is never a lesson or an action; it feeds the digest's learning trend.
    if (isScale && question.yields !== "none") {
      ctx.addIssue({ code: "custom", path: ["yields"], message: "a scale question yields none" });
    }
  });

export const retroFormatFileSchema = z
  .strictObject({
    name: text,
    intro: text,
    questions: z.array(questionSchema).min(2).max(8),
  })
  .superRefine((format, ctx) => {
    uniqueBy(format.questions, "key", "questions", ctx);
    for (const kind of ["lesson", "action"] as const) {
      if (!format.questions.some((question) => question.yields === kind)) {
        ctx.addIssue({
          code: "custom",
          path: ["questions"],
          message: `needs at least one question that yields ${kind}`,
        });
      }
    }
    const lastIndex = format.questions.length - 1;
    const last = format.questions[lastIndex];
    if (last && (last.key !== LEARNING_SCORE_KEY || last.kind !== "scale")) {
      ctx.addIssue({
        code: "custom",
        path: ["questions", lastIndex, "key"],
        message: `the last question must be the scale question "${LEARNING_SCORE_KEY}"`,
      });
    }
  });

const flagList = z.array(z.enum(PROJECT_FLAGS)).default([]);
const sourceUrl = z.url({ protocol: /^https$/ });

export const checkpointSchema = z.strictObject({
  key: slug,
  when: z.enum(CHECKPOINT_WHEN),
  strength: z.enum(STRENGTHS),
  appliesIf: flagList,
  requiredIf: flagList,
  requiredFrom: z.strictObject({ date: z.iso.date(), source: sourceUrl }).nullable().default(null),
  owner: z.enum(CHECKPOINT_OWNERS),
  source: sourceUrl,
  question: text,
  evidence: text,
});

export const checkpointsFileSchema = z
  .strictObject({ checkpoints: z.array(checkpointSchema).min(1) })
  .superRefine((file, ctx) => uniqueBy(file.checkpoints, "key", "checkpoints", ctx));

export const themesFileSchema = z
  .strictObject({
    themes: z
      .array(
        z.strictObject({
          id: slug,
          label: text,
          // theme-tagging matches stems against lower-cased words without diacritics.
          keywords: z.array(z.string().regex(/^[a-z0-9]+$/, "must be one lower-case word without accents")).min(1),
        }),
      )
      .min(1),
  })
  .superRefine((file, ctx) => uniqueBy(file.themes, "id", "themes", ctx));

/** The team pulse: 3 to 5 statements on one agree–disagree scale, kept short so it stays a pulse. */
export const teamPulseFileSchema = z
  .strictObject({
    minLabel: text,
    maxLabel: text,
    statements: z
      .array(z.strictObject({ key: slug, text }))
      .min(3)
      .max(5),
  })
  .superRefine((file, ctx) => uniqueBy(file.statements, "key", "statements", ctx));

export const interventionsFileSchema = z
  .strictObject({
    interventions: z
      .array(
        z.strictObject({
          id: slug,
          theme: slug,
          kind: z.enum(["informal", "formal"]),
          title: text,
          description: text,
        }),
      )
      .min(1),
  })
  .superRefine((file, ctx) => uniqueBy(file.interventions, "id", "interventions", ctx));

/** Message files: nested maps of strings; a map of exactly one/other (and optionally zero) is a plural. */
export type MessageTree = { [key: string]: string | MessageTree };

const MESSAGE_KEY = /^[A-Za-z0-9_-]+$/;

function kindOf(value: unknown): string {
  if (value === null) return "nothing";
  return Array.isArray(value) ? "a list" : `a ${typeof value}`;
}

// Walked by hand rather than with z.union, so the error points at the exact leaf instead of its parent.
function checkTree(tree: Record<string, unknown>, path: (string | number)[], ctx: z.RefinementCtx): void {
  for (const [key, value] of Object.entries(tree)) {
    const at = [...path, key];
    if (!MESSAGE_KEY.test(key)) {
      ctx.addIssue({ code: "custom", path: at, message: "keys use letters, digits, - and _" });
    }
    if (typeof value === "string") continue;
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      checkTree(value as Record<string, unknown>, at, ctx);
      continue;
    }
    ctx.addIssue({
      code: "custom",
      path: at,
      message: `expected a text or a nested map, got ${kindOf(value)} (quote it)`,
    });
  }
}

export const messagesFileSchema = z
  .record(z.string(), z.unknown())
  .superRefine((tree, ctx) => checkTree(tree, [], ctx))
  .transform((tree) => tree as MessageTree);
