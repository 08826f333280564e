import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHANNEL_LANGUAGES } from "../../src/domain/channel-language.ts";
import { GATE_DECISIONS } from "../../src/domain/gate.ts";
import { PLATFORMS } from "../../src/domain/inbound-event.ts";
import { INTERVENTION_KINDS } from "../../src/domain/intervention.ts";
import { LOCALES } from "../../src/domain/locale.ts";
import { ALL_PHASES, CHECKPOINT_PHASES, PHASES } from "../../src/domain/phase.ts";
import { POLICY_DOMAINS } from "../../src/domain/policy-domain.ts";
import {
  ACTION_STATUSES,
  CHECKPOINT_STATUSES,
  CYCLE_STATUSES,
  FORM_KINDS,
  INTERVENTION_STATUSES,
  LESSON_STATUSES,
  OUTBOX_STATUSES,
  TRACKER_EXPORT_STATUSES,
} from "../../src/domain/record-status.ts";
import { PROJECT_ROLES, ROLES, SECTORS } from "../../src/domain/role.ts";
import { TRACKER_KINDS } from "../../src/domain/tracker.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import { GUEST_MAIL_KINDS, GUEST_MAIL_STATUSES } from "../../src/ports/guest-store.ts";
import { VISIBILITIES } from "../../src/ports/lesson-library.ts";
import { oneWhere, updateWhere } from "../support/fixtures.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

// Each column that holds one of a fixed set of values, and the list the code uses for it.
const COLUMNS: [table: string, column: string, allowed: readonly string[]][] = [
  ["Organisation", "locale", LOCALES],
  ["Person", "locale", LOCALES],
  ["Person", "roles", ROLES],
  ["Install", "platform", PLATFORMS],
  ["ChatIdentity", "platform", PLATFORMS],
  ["ProjectChannel", "platform", PLATFORMS],
  ["OutboxMessage", "platform", PLATFORMS],
  ["Project", "phase", ALL_PHASES],
  ["Project", "language", CHANNEL_LANGUAGES],
  ["Membership", "role", PROJECT_ROLES],
  ["RetroCycle", "status", CYCLE_STATUSES],
  ["ActionItem", "status", ACTION_STATUSES],
  ["Lesson", "phase", ALL_PHASES],
  ["Lesson", "status", LESSON_STATUSES],
  ["Lesson", "visibility", VISIBILITIES],
  ["Checkpoint", "phase", CHECKPOINT_PHASES],
  ["Checkpoint", "status", CHECKPOINT_STATUSES],
  ["GateDecision", "fromPhase", PHASES],
  ["GateDecision", "toPhase", ALL_PHASES],
  ["GateDecision", "decision", GATE_DECISIONS],
  ["OutboxMessage", "status", OUTBOX_STATUSES],
  ["Lesson", "domain", POLICY_DOMAINS],
  ["InterventionMark", "status", INTERVENTION_STATUSES],
  ["CustomIntervention", "kind", INTERVENTION_KINDS],
  ["ProjectTracker", "kind", TRACKER_KINDS],
  ["TrackerExport", "status", TRACKER_EXPORT_STATUSES],
  ["FormInstance", "kind", FORM_KINDS],
  ["ProjectGuest", "sector", SECTORS],
  ["GuestMail", "kind", GUEST_MAIL_KINDS],
  ["GuestMail", "status", GUEST_MAIL_STATUSES],
];

describe("the schema says what it allows", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedDemo(database.db, { now: new Date("2026-12-07T09:00:00Z"), fast: true });
  });

  afterAll(async () => {
    await database?.drop();
  });

  it.each(COLUMNS)("%s.%s allows exactly the values the code knows", async (table, column, allowed) => {
    const rows = (
      await sql<{ definition: string }>`
      SELECT pg_get_constraintdef(c.oid) AS definition
      FROM pg_constraint c
      JOIN pg_class t ON t.oid = c.conrelid
      WHERE c.contype = 'c' AND t.relname = ${table} AND c.conname = ${`${table}_${column}_check`}`.execute(database.db)
    ).rows;
    expect(rows, `CHECK constraint ${table}_${column}_check`).toHaveLength(1);
    const listed = [...(rows[0]?.definition ?? "").matchAll(/'([^']*)'/g)].map((match) => match[1]);
    expect(new Set(listed)).toEqual(new Set(allowed));
  });

  it("refuses a value no code knows, and keeps the row as it was", async () => {
    await expect(updateWhere(database.db, "Project", { id: DEMO_IDS.pilot }, { phase: "piloot" })).rejects.toThrow(
      /Project_phase_check/,
    );
    await expect(
      updateWhere(database.db, "Person", { id: DEMO_IDS.lotte }, { roles: ["member", "advisor"] }),
    ).rejects.toThrow(/Person_roles_check/);
    const project = await oneWhere(database.db, "Project", { id: DEMO_IDS.pilot });
    expect(project.phase).toBe("pilot");
  });

  it("a retro cycle keeps no single language: it holds its questions in every language", async () => {
    const columns = (
      await sql<{ column_name: string }>`
      SELECT column_name::text FROM information_schema.columns WHERE table_name = 'RetroCycle'`.execute(database.db)
    ).rows;
    expect(columns.map((row) => row.column_name)).not.toContain("locale");
  });
});
