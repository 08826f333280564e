-- Ids and update times made by the database rather than by the Prisma client: the
-- repositories write through Kysely, and a row inserted without them gets them here.
-- Existing rows keep theirs.

ALTER TABLE "Organisation" ALTER COLUMN "id" SET DEFAULT (gen_random_uuid())::text;
ALTER TABLE "Install" ALTER COLUMN "id" SET DEFAULT (gen_random_uuid())::text;
ALTER TABLE "Person" ALTER COLUMN "id" SET DEFAULT (gen_random_uuid())::text;
ALTER TABLE "ChatIdentity" ALTER COLUMN "id" SET DEFAULT (gen_random_uuid())::text;
ALTER TABLE "Absence" ALTER COLUMN "id" SET DEFAULT (gen_random_uuid())::text;
ALTER TABLE "Project" ALTER COLUMN "id" SET DEFAULT (gen_random_uuid())::text;
ALTER TABLE "OrganisationDayOff" ALTER COLUMN "id" SET DEFAULT (gen_random_uuid())::text;
ALTER TABLE "ProjectChannel" ALTER COLUMN "id" SET DEFAULT (gen_random_uuid())::text;
ALTER TABLE "Membership" ALTER COLUMN "id" SET DEFAULT (gen_random_uuid())::text;
ALTER TABLE "RetroCycle" ALTER COLUMN "id" SET DEFAULT (gen_random_uuid())::text;
ALTER TABLE "Delivery" ALTER COLUMN "id" SET DEFAULT (gen_random_uuid())::text;
ALTER TABLE "Answer" ALTER COLUMN "id" SET DEFAULT (gen_random_uuid())::text;
ALTER TABLE "ActionItem" ALTER COLUMN "id" SET DEFAULT (gen_random_uuid())::text;
ALTER TABLE "Lesson" ALTER COLUMN "id" SET DEFAULT (gen_random_uuid())::text;
ALTER TABLE "LessonRevision" ALTER COLUMN "id" SET DEFAULT (gen_random_uuid())::text;
ALTER TABLE "LessonShare" ALTER COLUMN "id" SET DEFAULT (gen_random_uuid())::text;
ALTER TABLE "Checkpoint" ALTER COLUMN "id" SET DEFAULT (gen_random_uuid())::text;
ALTER TABLE "GateDecision" ALTER COLUMN "id" SET DEFAULT (gen_random_uuid())::text;
ALTER TABLE "Digest" ALTER COLUMN "id" SET DEFAULT (gen_random_uuid())::text;
ALTER TABLE "AuditEvent" ALTER COLUMN "id" SET DEFAULT (gen_random_uuid())::text;
ALTER TABLE "OutboxMessage" ALTER COLUMN "id" SET DEFAULT (gen_random_uuid())::text;
ALTER TABLE "WebMessage" ALTER COLUMN "id" SET DEFAULT (gen_random_uuid())::text;
ALTER TABLE "ReceivedEvent" ALTER COLUMN "id" SET DEFAULT (gen_random_uuid())::text;

ALTER TABLE "Answer" ALTER COLUMN "updatedAt" SET DEFAULT CURRENT_TIMESTAMP;
ALTER TABLE "WebMessage" ALTER COLUMN "updatedAt" SET DEFAULT CURRENT_TIMESTAMP;
