// An organisation with known digest figures for the week before NOW:
// Alpha (4 people), Beta (2 people), Gamma (anonymous, 3 people), Delta (3 people, stalled).
import { randomUUID } from "node:crypto";
import { DEFAULT_CADENCE } from "../../src/domain/cadence.ts";
import type { Db } from "../../src/persistence/prisma-client.ts";
import { createStores } from "../../src/persistence/unit-of-work.ts";
import { composeDigest } from "../../src/use-cases/digest/compose-digest.ts";
import { prompts } from "./test-core.ts";

export const NOW = new Date("2026-11-23T10:00:00Z");
const DAY = 24 * 60 * 60 * 1000;
export const IN_PERIOD = new Date(NOW.getTime() - 2 * DAY);
export const PREVIOUS_PERIOD = new Date(NOW.getTime() - 9 * DAY);

export type DigestSeed = {
  organisationId: string;
  adviserId: string;
  memberId: string;
  projects: Record<"alpha" | "beta" | "gamma" | "delta", string>;
};

const questions = { nl: [], en: [] };

export async function seedDigestOrganisation(db: Db, options: { minGroupSize?: number } = {}): Promise<DigestSeed> {
  const organisation = await db.organisation.create({
    data: {
      name: "Gemeente Proef",
      locale: "en",
      minGroupSize: options.minGroupSize ?? 3,
      quietWeekends: false,
      quietHoursEnd: 0,
      quietHoursStart: 1440,
    },
  });
  const organisationId = organisation.id;
  const person = async (name: string, roles: string[] = ["member"]) =>
    (await db.person.create({ data: { organisationId, displayName: name, roles, locale: "en" } })).id;
  const adviserId = await person("Joost", ["member", "adviser"]);
  await db.chatIdentity.create({
    data: {
      personId: adviserId,
      platform: "web",
      tenantId: organisationId,
      platformUserId: adviserId,
      conversationRef: `web:dm:${adviserId}`,
    },
  });
  const project = async (
    name: string,
    size: number,
    extra: { anonymous?: boolean; phase?: string; phaseSince?: Date } = {},
  ) => {
    const created = await db.project.create({
      data: {
        organisationId,
        name,
        cadence: DEFAULT_CADENCE,
        phase: extra.phase ?? "pilot",
        phaseSince: extra.phaseSince ?? new Date(NOW.getTime() - 30 * DAY),
        anonymous: extra.anonymous ?? false,
      },
    });
    const people: string[] = [];
    for (let index = 0; index < size; index++) {
      const id = await person(`${name} ${index + 1}`);
      await db.membership.create({
        data: { projectId: created.id, personId: id, role: index === 0 ? "lead" : "member" },
      });
      people.push(id);
    }
    return { id: created.id, people };
  };
  const alpha = await project("Alpha", 4);
  const beta = await project("Beta", 2);
  const gamma = await project("Gamma", 3, { anonymous: true });
  const delta = await project("Delta", 3, { phase: "explore", phaseSince: new Date(NOW.getTime() - 200 * DAY) });

  let sequence = 0;
  const cycle = async (
    projectId: string,
    people: string[],
    answered: number,
    scores: number[],
    status: "closed" | "skipped" = "closed",
    at = IN_PERIOD,
  ) => {
    const created = await db.retroCycle.create({
      data: {
        projectId,
        sequence: ++sequence,
        format: "phase",
        questions,
        status,
        opensAt: new Date(at.getTime() - DAY),
        remindsAt: at,
        closesAt: at,
        closedAt: status === "closed" ? at : null,
      },
    });
    if (status === "skipped") return created.id;
    for (const [index, personId] of people.entries()) {
      await db.delivery.create({
        data: { cycleId: created.id, personId, answeredAt: index < answered ? at : null },
      });
    }
    for (const score of scores) {
      await db.answer.create({
        data: { cycleId: created.id, responseKey: randomUUID(), questionKey: "learning-score", score, createdAt: at },
      });
    }
    return created.id;
  };
  await cycle(alpha.id, alpha.people, 3, [4, 4, 5]);
  await cycle(beta.id, beta.people, 2, [2, 2]);
  await cycle(gamma.id, gamma.people, 3, [3, 3, 3]);
  await cycle(delta.id, delta.people, 0, [], "skipped", new Date(NOW.getTime() - 20 * DAY));
  await cycle(delta.id, delta.people, 0, [], "skipped", new Date(NOW.getTime() - 6 * DAY));

  const lesson = (projectId: string, text: string, themes: string[], extra: object = {}) =>
    db.lesson.create({
      data: {
        organisationId,
        projectId,
        phase: "pilot",
        text,
        themes,
        disciplines: [],
        createdAt: IN_PERIOD,
        ...extra,
      },
    });
  await lesson(alpha.id, "Agree on the owner before the pilot ends", ["scaling"], { usefulCount: 5 });
  await lesson(alpha.id, "Plan the handover to the line organisation", ["scaling"], { usefulCount: 1 });
  await lesson(alpha.id, "Budget for maintenance after scaling", ["scaling"]);
  await lesson(alpha.id, "Team-only lesson about our sprint board", ["scaling"], { visibility: "team" });
  await lesson(alpha.id, "A dismissed remark", ["scaling"], { status: "dismissed" });
  await lesson(beta.id, "Test the service with residents early", ["scaling", "user-involvement"], { usefulCount: 2 });
  await lesson(beta.id, "Invite residents to the demo", ["scaling", "user-involvement"]);
  await lesson(gamma.id, "Anonymous team lesson on residents", ["user-involvement"], { usefulCount: 3 });
  await lesson(alpha.id, "Last week's scaling lesson", ["scaling"], { createdAt: PREVIOUS_PERIOD });

  const action = (projectId: string, status: string) =>
    db.actionItem.create({ data: { projectId, text: `action ${status}`, status, reviewedAt: IN_PERIOD } });
  await action(alpha.id, "done");
  await action(alpha.id, "done");
  await action(alpha.id, "not-yet");
  await action(beta.id, "done");

  await db.checkpoint.create({
    data: { projectId: alpha.id, phase: "pilot", key: "owner", dueAt: PREVIOUS_PERIOD, nudgesSent: 3 },
  });
  await db.checkpoint.create({
    data: { projectId: beta.id, phase: "pilot", key: "owner", dueAt: PREVIOUS_PERIOD, nudgesSent: 2 },
  });
  return {
    organisationId,
    adviserId,
    memberId: alpha.people[1] as string,
    projects: { alpha: alpha.id, beta: beta.id, gamma: gamma.id, delta: delta.id },
  };
}

/** The advisers' digest of the week before `end`, stored as the scheduled job stores it. */
export async function storedDigest(db: Db, organisationId: string, end: Date): Promise<string> {
  const stores = createStores(db);
  const periodStart = new Date(end.getTime() - 7 * DAY);
  const content = await composeDigest({
    stores,
    prompts,
    organisationId,
    periodStart,
    periodEnd: end,
    minGroupSize: 3,
  });
  return (await stores.digests.create({
    organisationId,
    audience: "advisers",
    periodStart,
    periodEnd: end,
    content,
  })) as string;
}
