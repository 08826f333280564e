// What an adviser's digest forms may touch, on real PostgreSQL: only their own organisation's
// digests, marks and projects, only known interventions, and real dates.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStores } from "../../src/persistence/unit-of-work.ts";
import { createInterventionMarking } from "../../src/use-cases/digest/intervention-marks.ts";
import { type DigestSeed, NOW, seedDigestOrganisation, storedDigest } from "../support/digest-seed.ts";
import { prompts } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

describe("marking interventions stays within the adviser's organisation", () => {
  let database: TestDatabase;
  let seed: DigestSeed;
  let other: DigestSeed;
  let digestId: string;
  let marking: ReturnType<typeof createInterventionMarking>;
  const adviser = () => ({ id: seed.adviserId, organisationId: seed.organisationId });
  const stranger = () => ({ id: other.adviserId, organisationId: other.organisationId });
  const plan = (fields: Record<string, unknown> = {}) => ({
    key: randomUUID(),
    intervention: "scaling-coaching",
    theme: "scaling",
    status: "planned",
    date: "2026-12-10",
    projects: seed.projects.alpha,
    ...fields,
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    seed = await seedDigestOrganisation(database.db);
    other = await seedDigestOrganisation(database.db);
    digestId = await storedDigest(database.db, seed.organisationId, NOW);
    marking = createInterventionMarking({ stores: createStores(database.db), prompts, now: () => NOW });
  }, 60_000);

  afterAll(async () => {
    await database?.drop();
  });

  it("refuses another organisation's digest, projects and marks", async () => {
    expect(await marking.mark(stranger(), digestId, plan({ projects: other.projects.alpha }))).toEqual({
      ok: false,
      problem: "form",
    });
    expect(await marking.mark(adviser(), digestId, plan({ projects: other.projects.alpha }))).toEqual({
      ok: false,
      problem: "project",
    });
    // Anonymous projects are not offered, so they cannot be named either.
    expect(await marking.mark(adviser(), digestId, plan({ projects: seed.projects.gamma }))).toEqual({
      ok: false,
      problem: "project",
    });
    expect(await marking.mark(adviser(), digestId, plan())).toEqual({ ok: true, done: "planned" });
    const [mark] = await database.db.interventionMark.findMany({ where: { organisationId: seed.organisationId } });
    const given = { key: randomUUID(), date: "2026-11-23" };
    expect(await marking.markGiven(stranger(), mark?.id as string, given)).toEqual({
      ok: false,
      problem: "not-planned",
    });
    expect((await database.db.interventionMark.findUnique({ where: { id: mark?.id as string } }))?.status).toBe(
      "planned",
    );
    expect(await marking.markGiven(adviser(), mark?.id as string, given)).toEqual({ ok: true, done: "given" });
    expect(await marking.markGiven(adviser(), mark?.id as string, given)).toEqual({ ok: true, done: "already" });
  });

  it("refuses unknown interventions, a theme that does not match, impossible dates and a missing key", async () => {
    expect(await marking.mark(adviser(), digestId, plan({ intervention: "free-pizza" }))).toEqual({
      ok: false,
      problem: "intervention",
    });
    expect(await marking.mark(adviser(), digestId, plan({ theme: "collaboration" }))).toEqual({
      ok: false,
      problem: "intervention",
    });
    expect(await marking.mark(adviser(), digestId, plan({ date: "2026-13-01" }))).toEqual({
      ok: false,
      problem: "date",
    });
    expect(await marking.mark(adviser(), digestId, plan({ key: "not-a-key" }))).toEqual({ ok: false, problem: "form" });
    expect(
      await marking.addOwn(adviser(), {
        key: randomUUID(),
        theme: "weather",
        kind: "formal",
        title: "x",
        description: "y",
      }),
    ).toEqual({
      ok: false,
      problem: "fields",
    });
  });

  it("an organisation's own intervention is known to it alone", async () => {
    const key = randomUUID();
    const own = { key, theme: "scaling", kind: "informal", title: "Lunch with the line", description: "Monthly." };
    expect(await marking.addOwn(adviser(), own)).toEqual({ ok: true, done: "added" });
    expect(await marking.addOwn(adviser(), own)).toEqual({ ok: true, done: "already" });
    const [created] = await database.db.customIntervention.findMany({ where: { organisationId: seed.organisationId } });
    expect(await marking.mark(adviser(), digestId, plan({ intervention: created?.id }))).toEqual({
      ok: true,
      done: "planned",
    });
    const otherDigest = await storedDigest(database.db, other.organisationId, NOW);
    expect(
      await marking.mark(stranger(), otherDigest, plan({ intervention: created?.id, projects: other.projects.alpha })),
    ).toEqual({ ok: false, problem: "intervention" });
  });
});
