import type { Question } from "./retro-format.ts";

export type SummaryAnswer = { questionKey: string; text: string | null; score: number | null };

export type QuestionSummary = {
  key: string;
  text: string;
  kind: Question["kind"];
  answers: string[];
  /** Mean of scale answers, only when enough people answered to keep it anonymous. */
  average: number | null;
  scoreCount: number;
};

export type CycleSummary = {
  invited: number;
  answered: number;
  questions: QuestionSummary[];
};

/** What the team sees when a cycle closes: answers per question, never who wrote them. */
export function summariseCycle(
  questions: Question[],
  answers: SummaryAnswer[],
  participation: { invited: number; answered: number },
  minGroupSize: number,
): CycleSummary {
  return {
    ...participation,
    questions: questions.map((question) => {
      const own = answers.filter((answer) => answer.questionKey === question.key);
      const scores = own.map((answer) => answer.score).filter((score): score is number => score !== null);
      const average =
        scores.length >= minGroupSize && scores.length > 0
          ? Math.round((scores.reduce((sum, score) => sum + score, 0) / scores.length) * 10) / 10
          : null;
      return {
        key: question.key,
        text: question.text,
        kind: question.kind,
        // Sorted, so the same position under two questions does not link one writer's answers.
        answers: own
          .map((answer) => answer.text)
          .filter((text): text is string => Boolean(text))
          .sort((a, b) => a.localeCompare(b)),
        average,
        scoreCount: scores.length,
      };
    }),
  };
}
