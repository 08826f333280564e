// What learning advisers receive: lessons by theme and participation, aggregated,
// with every count over people hidden below the organisation's minimum group size.

export type DigestLesson = { id: string; text: string; projectName: string; themes: string[] };
/** invited/answered count invitations over the period's cycles; people counts distinct persons. */
export type ProjectParticipation = { projectName: string; people: number; invited: number; answered: number };

export type DigestContent = {
  periodStart: string;
  periodEnd: string;
  lessonCount: number;
  themes: { themeId: string; lessons: { text: string; projectName: string }[] }[];
  participation: ({ projectName: string } & ({ shown: true; invited: number; answered: number } | { shown: false }))[];
};

export const UNTHEMED = "other";

export function buildDigestContent(input: {
  periodStart: Date;
  periodEnd: Date;
  lessons: DigestLesson[];
  participation: ProjectParticipation[];
  minGroupSize: number;
}): DigestContent {
  const byTheme = new Map<string, { text: string; projectName: string }[]>();
  for (const lesson of input.lessons) {
    const themes = lesson.themes.length > 0 ? lesson.themes : [UNTHEMED];
    for (const theme of themes) {
      const list = byTheme.get(theme) ?? [];
      list.push({ text: lesson.text, projectName: lesson.projectName });
      byTheme.set(theme, list);
    }
  }
  const themes = [...byTheme.entries()]
    .map(([themeId, lessons]) => ({ themeId, lessons }))
    .sort((a, b) => b.lessons.length - a.lessons.length || a.themeId.localeCompare(b.themeId));
  return {
    periodStart: input.periodStart.toISOString(),
    periodEnd: input.periodEnd.toISOString(),
    lessonCount: input.lessons.length,
    themes,
    participation: input.participation.map((project) =>
      project.people >= input.minGroupSize
        ? { projectName: project.projectName, shown: true, invited: project.invited, answered: project.answered }
        : { projectName: project.projectName, shown: false },
    ),
  };
}
