/** Lower case, single spaces, no surrounding punctuation: two lessons with equal keys are the same lesson. */
export function lessonTextKey(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFKC")
    .replace(/\s+/g, " ")
    .replace(/^[\s.!?,;:]+|[\s.!?,;:]+$/g, "");
}

/** The licence a lesson shared with other organisations carries unless it names another. */
export const DEFAULT_LICENCE = "CC BY 4.0";

/** The longest a lesson's text, context or recommendation may be, wherever it comes from. */
export const LESSON_FIELD_MAX = 2000;
