-- Project flags: yes/no answers (personal-data, ai-system, ...) that decide which checkpoints apply.
-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "flags" JSONB NOT NULL DEFAULT '{}';

-- Stored checkpoints follow the new checkpoint set (docs: README "Scaling checkpoints").
-- Keys whose meaning is unchanged stay, these changed meaning and get their new key.
UPDATE "Checkpoint" SET "key" = 'dpia-before-start' WHERE "phase" = 'pilot' AND "key" = 'dpia-done';
UPDATE "Checkpoint" SET "key" = 'open-source-unless', "mustMeet" = false
  WHERE "phase" = 'pilot' AND "key" = 'open-and-reusable';
UPDATE "Checkpoint" SET "key" = 'dpia-production'
  WHERE "phase" = 'implement' AND "key" = 'privacy-ethics-in-operation';
UPDATE "Checkpoint" SET "key" = 'residents-informed', "mustMeet" = false
  WHERE "phase" = 'implement' AND "key" = 'users-in-operation';
-- The old IAMA checkpoint covered both the assessment and the algorithm register: a decided
-- one decides the new register checkpoint the same way, so no one is asked twice.
INSERT INTO "Checkpoint" ("id", "projectId", "phase", "key", "mustMeet", "status", "dueAt", "evidence", "reason",
    "decidedById", "decidedAt", "createdAt")
  SELECT gen_random_uuid()::text, "projectId", 'pilot', 'algorithm-register', false, "status", "dueAt", "evidence",
    "reason", "decidedById", "decidedAt", "createdAt"
  FROM "Checkpoint" WHERE "phase" = 'pilot' AND "key" = 'iama-done' AND "status" <> 'open'
  ON CONFLICT ("projectId", "phase", "key") DO NOTHING;
UPDATE "Checkpoint" SET "key" = 'fria-iama', "mustMeet" = false WHERE "phase" = 'pilot' AND "key" = 'iama-done';
-- Now recommended or apply-or-explain instead of required.
UPDATE "Checkpoint" SET "mustMeet" = false WHERE "phase" = 'explore' AND "key" = 'deda-done';
UPDATE "Checkpoint" SET "mustMeet" = false WHERE "phase" = 'implement' AND "key" = 'reusable-publiccode';
