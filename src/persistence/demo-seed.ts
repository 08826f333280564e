import type { Cadence } from "../domain/cadence.ts";
import { DEFAULT_CADENCE } from "../domain/cadence.ts";
import { type Db, json } from "./database.ts";

// Fixed ids keep demo links such as /?as=<id> stable across restarts.
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

export const DEMO_IDS = {
  organisation: id(1),
  pilot: id(10),
  implementation: id(11),
  sanne: id(100),
  ahmed: id(101),
  lotte: id(102),
  emma: id(103),
  mark: id(104),
  karin: id(105),
  joost: id(106),
} as const;

type Seed = { now: Date; fast: boolean };

const DAY = 24 * 60 * 60 * 1000;

/**
 * "Gemeente Demo": a pilot on smart street cleaning and an implementation of a housing
 * construction monitor, with a lead, members of different disciplines, a manager and a
 * learning adviser. Creates nothing when it is already there.
 */
export async function seedDemo(db: Db, seed: Seed): Promise<{ organisationId: string; created: boolean }> {
  if (await db.selectFrom("Organisation").select("id").where("id", "=", DEMO_IDS.organisation).executeTakeFirst()) {
    return { organisationId: DEMO_IDS.organisation, created: false };
  }
  const cadence: Cadence = seed.fast ? { kind: "minutes", every: 3 } : DEFAULT_CADENCE;
  const window = seed.fast ? { answerWindowMinutes: 2, reminderAtPercent: 50 } : {};
  await db.transaction().execute(async (trx) => {
    // The fast demo runs whenever a newcomer tries it, evenings and weekends included.
    // A one-day digest period: the demo's digest job (every few minutes) sends the first digest
    // at once and then about twice a day (a period is due from its half); `overzicht nieuw` makes one now.
    const hours = seed.fast
      ? { quietHoursEnd: 0, quietHoursStart: 24 * 60, quietWeekends: false, digestEveryDays: 1 }
      : {};
    await trx
      .insertInto("Organisation")
      .values({ id: DEMO_IDS.organisation, name: "Gemeente Demo", locale: "nl", ...hours })
      .execute();
    const people: [string, string, string[], string | null][] = [
      [DEMO_IDS.sanne, "Sanne de Vries", ["member"], null],
      [DEMO_IDS.ahmed, "Ahmed El Amrani", ["member"], null],
      [DEMO_IDS.lotte, "Lotte Jansen", ["member"], null],
      [DEMO_IDS.emma, "Emma Clarke", ["member"], "en"],
      [DEMO_IDS.mark, "Mark de Boer", ["member"], null],
      [DEMO_IDS.karin, "Karin Visser", ["manager"], null],
      [DEMO_IDS.joost, "Joost Smit", ["adviser"], null],
    ];
    await trx
      .insertInto("Person")
      .values(
        people.map(([id, displayName, roles, locale]) => ({
          id,
          organisationId: DEMO_IDS.organisation,
          displayName,
          roles,
          locale,
        })),
      )
      .execute();
    await trx
      .insertInto("ChatIdentity")
      .values(
        people.map(([personId]) => ({
          personId,
          platform: "web",
          tenantId: DEMO_IDS.organisation,
          platformUserId: personId,
          conversationRef: `web:dm:${personId}`,
        })),
      )
      .execute();
    const projects = [
      {
        id: DEMO_IDS.pilot,
        name: "Slimme straatreiniging",
        mission: "Met sensordata van afvalbakken en meldingen van bewoners de veegroutes slimmer plannen.",
        domain: "physical",
        phase: "pilot",
        phaseSince: new Date(seed.now.getTime() - 160 * DAY),
        memberships: [
          { personId: DEMO_IDS.sanne, role: "lead", discipline: "lead", sector: "government" },
          { personId: DEMO_IDS.ahmed, role: "member", discipline: "data-it", sector: "government" },
          { personId: DEMO_IDS.lotte, role: "member", discipline: "domain-expert", sector: "government" },
          { personId: DEMO_IDS.emma, role: "member", discipline: "external-partner", sector: "market" },
          { personId: DEMO_IDS.karin, role: "manager" },
          { personId: DEMO_IDS.joost, role: "adviser" },
        ],
      },
      {
        id: DEMO_IDS.implementation,
        name: "Woningbouwmonitor",
        mission: "Een dashboard dat de voortgang van woningbouwprojecten voor raad en inwoners zichtbaar maakt.",
        domain: "social",
        phase: "implement",
        phaseSince: new Date(seed.now.getTime() - 30 * DAY),
        memberships: [
          { personId: DEMO_IDS.mark, role: "lead", discipline: "lead", sector: "government" },
          { personId: DEMO_IDS.ahmed, role: "member", discipline: "data-it", sector: "government" },
          { personId: DEMO_IDS.lotte, role: "member", discipline: "policy", sector: "government" },
          { personId: DEMO_IDS.karin, role: "manager" },
          { personId: DEMO_IDS.joost, role: "adviser" },
        ],
      },
    ];
    for (const { memberships, ...project } of projects) {
      await trx
        .insertInto("Project")
        .values({
          ...project,
          organisationId: DEMO_IDS.organisation,
          cadence: json(cadence),
          ...window,
          createdAt: seed.now,
          cadenceSince: seed.now,
        })
        .execute();
      await trx
        .insertInto("ProjectChannel")
        .values({ projectId: project.id, platform: "web", conversationRef: `web:channel:${project.id}` })
        .execute();
      await trx
        .insertInto("Membership")
        .values(memberships.map((membership) => ({ projectId: project.id, ...membership })))
        .execute();
    }
    const earlier = new Date(seed.now.getTime() - (seed.fast ? 2 * 60 * 60 * 1000 : 3 * DAY));
    const lesson = { organisationId: DEMO_IDS.organisation, source: "manual", createdAt: earlier };
    await trx
      .insertInto("Lesson")
      .values([
        {
          ...lesson,
          projectId: DEMO_IDS.implementation,
          phase: "pilot",
          text: "Betrek gebruikers vanaf de eerste schets: de raadsleden wilden andere cijfers dan wij dachten.",
          themes: ["user-involvement"],
        },
        {
          ...lesson,
          projectId: DEMO_IDS.pilot,
          phase: "pilot",
          text: "Regel de DPIA voordat de sensoren hangen, niet erna; dat scheelde ons weken vertraging.",
          themes: ["data-ethics-privacy"],
        },
        {
          ...lesson,
          projectId: DEMO_IDS.pilot,
          phase: "explore",
          text: "Zonder eigenaar in de lijnorganisatie blijft een pilot een project van het innovatieteam.",
          themes: ["governance-ownership", "scaling"],
        },
      ])
      .execute();
  });
  return { organisationId: DEMO_IDS.organisation, created: true };
}
