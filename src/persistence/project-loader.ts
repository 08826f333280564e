import { sql } from "kysely";
import type { Cadence } from "../domain/cadence.ts";
import { toChannelLanguage } from "../domain/channel-language.ts";
import type { Platform } from "../domain/inbound-event.ts";
import { toLocale } from "../domain/locale.ts";
import type { Phase } from "../domain/phase.ts";
import type { ProjectRecord } from "../ports/project-records.ts";
import type { Db } from "./database.ts";
import { type PersonRow, quietHoursOf, toPersonRecord } from "./person-mapping.ts";

/** A member as the project query nests it: the person, their role, and whether they are away now. */
type MemberRow = Omit<PersonRow, "organisationLocale"> & { role: string; discipline: string | null; absent: boolean };

type ProjectRow = {
  id: string;
  organisationId: string;
  name: string;
  phase: string;
  phaseSince: Date;
  createdAt: Date;
  active: boolean;
  cadence: unknown;
  cadenceSince: Date | null;
  retroFormat: string;
  formatRotation: string[];
  holidayPolicy: string;
  skipNext: boolean;
  answerWindowMinutes: number;
  reminderAtPercent: number;
  anonymous: boolean;
  language: string | null;
  pulseEvery: number;
  organisationLocale: string;
  timezone: string;
  quietHoursEnd: number;
  quietHoursStart: number;
  quietWeekends: boolean;
  daysOff: string[];
  minGroupSize: number;
  channels: { platform: string; conversationRef: string }[];
  memberships: MemberRow[];
};

/** Projects with their organisation's settings, channels and members, as the retro cycle needs them. */
export async function loadProjects(db: Db, projectIds: readonly string[], now: Date): Promise<ProjectRecord[]> {
  // One statement with the members nested as JSON: on every tick's path, for up to a
  // batch of projects at once.
  const { rows } = await sql<ProjectRow>`
    SELECT p.id, p."organisationId", p.name, p.phase, p."phaseSince", p."createdAt", p.active, p.cadence, p."cadenceSince",
      p."retroFormat", p."formatRotation", p."holidayPolicy", p."skipNext", p."answerWindowMinutes",
      p."reminderAtPercent", p.anonymous, p.language, p."pulseEvery", o.locale AS "organisationLocale", o.timezone, o."quietHoursEnd",
      o."quietHoursStart", o."quietWeekends", o."minGroupSize",
      -- Back far enough to cover the slot due now, which is at most one interval (12 weeks) old.
      coalesce((SELECT array_agg(to_char(d.date, 'YYYY-MM-DD') ORDER BY d.date) FROM "OrganisationDayOff" d
        WHERE d."organisationId" = p."organisationId" AND d.date >= (${now}::timestamptz - interval '100 days')::date),
        '{}') AS "daysOff",
      coalesce((SELECT json_agg(json_build_object('platform', c.platform, 'conversationRef', c."conversationRef"))
        FROM "ProjectChannel" c WHERE c."projectId" = p.id), '[]') AS channels,
      coalesce((SELECT json_agg(json_build_object(
          'role', m.role, 'discipline', m.discipline, 'id', pe.id, 'organisationId', pe."organisationId",
          'displayName', pe."displayName", 'locale', pe.locale, 'timezone', pe.timezone, 'roles', pe.roles,
          'identities', coalesce((SELECT json_agg(json_build_object('platform', i.platform, 'conversationRef', i."conversationRef"))
            FROM "ChatIdentity" i WHERE i."personId" = pe.id), '[]'),
          'absent', EXISTS (SELECT 1 FROM "Absence" a WHERE a."personId" = pe.id AND a."startsOn" <= ${now} AND a."endsOn" >= ${now}))
          ORDER BY m.id)
        FROM "Membership" m JOIN "Person" pe ON pe.id = m."personId" WHERE m."projectId" = p.id), '[]') AS memberships
    FROM "Project" p JOIN "Organisation" o ON o.id = p."organisationId"
    WHERE p.id = ANY(${[...projectIds]}::text[])`.execute(db);
  return rows.map((row) => {
    const person = (member: MemberRow) => toPersonRecord({ ...member, organisationLocale: row.organisationLocale });
    const participants = row.memberships
      .filter((member) => member.role === "member" || member.role === "lead")
      .map((member) => ({
        ...person(member),
        projectRole: member.role as "member" | "lead",
        discipline: member.discipline,
        absent: member.absent,
      }));
    return {
      id: row.id,
      organisationId: row.organisationId,
      name: row.name,
      phase: row.phase as Phase,
      phaseSince: row.phaseSince,
      createdAt: row.createdAt,
      active: row.active,
      cadence: row.cadence as Cadence,
      cadenceSince: row.cadenceSince,
      retroFormat: row.retroFormat,
      formatRotation: row.formatRotation,
      holidayPolicy: row.holidayPolicy === "skip" ? "skip" : "move",
      skipNext: row.skipNext,
      answerWindowMinutes: row.answerWindowMinutes,
      reminderAtPercent: row.reminderAtPercent,
      anonymous: row.anonymous,
      pulseEvery: row.pulseEvery,
      locale: toLocale(row.organisationLocale),
      language: toChannelLanguage(row.language, toLocale(row.organisationLocale)),
      timezone: row.timezone,
      quiet: { ...quietHoursOf(row), daysOff: row.daysOff },
      minGroupSize: row.minGroupSize,
      channels: row.channels.map((channel) => ({
        platform: channel.platform as Platform,
        conversationRef: channel.conversationRef,
      })),
      participants: [...new Map(participants.map((participant) => [participant.id, participant])).values()],
      managers: row.memberships.filter((member) => member.role === "manager").map(person),
      sponsors: row.memberships.filter((member) => member.role === "sponsor").map(person),
    };
  });
}
