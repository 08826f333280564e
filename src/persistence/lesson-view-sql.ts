// SQL fragments the lessons library's queries share: what a lesson shows, which lessons
// count as reviewed, and how feedback weighs in a ranking.
import type { LessonView } from "../ports/lesson-library.ts";
import { Prisma } from "./generated/client.ts";

export type ViewRow = Omit<LessonView, "usefulCount" | "notUsefulCount"> & {
  usefulCount: number;
  notUsefulCount: number;
};

// Never the source answer or anyone's id: what a lesson shows is the same everywhere.
export const VIEW_COLUMNS = Prisma.sql`l.id, l."organisationId", l."projectId", p.name AS "projectName",
  coalesce(l.publisher, o.name) AS publisher, l.text, l.context, l.recommendation, l.phase,
  coalesce(l.themes, '{}') AS themes, coalesce(l.disciplines, '{}') AS disciplines, l.source, l.visibility, l.status, l.licence, l.contact, l."usefulCount", l."notUsefulCount",
  coalesce(l."appliedIn", '{}') AS "appliedIn", l.domain, l."createdAt"`;

export const VIEW_JOINS = Prisma.sql`LEFT JOIN "Project" p ON p.id = l."projectId" JOIN "Organisation" o ON o.id = l."organisationId"`;

// Only lessons a lead saved or someone added deliberately: a proposed lesson is still a
// colleague's raw answer, which only its own team's lead sees (in the retro summary).
export const REVIEWED = Prisma.sql`l.status = 'confirmed'`;

// Feedback moves a lesson up or down: (useful + 2) / (not useful + 2), 1 with no feedback.
export const FEEDBACK = Prisma.sql`(l."usefulCount" + 2)::real / (l."notUsefulCount" + 2)::real`;

export function toView(row: ViewRow): LessonView {
  return { ...row, usefulCount: Number(row.usefulCount), notUsefulCount: Number(row.notUsefulCount) };
}
