-- Each distinct message is stored once in "OutboxBody", and outbox messages point at theirs.
-- Existing messages are moved over (keyed by a hash of their JSON here), not dropped.

-- CreateTable
CREATE TABLE "OutboxBody" (
    "id" TEXT NOT NULL,
    "message" JSON NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OutboxBody_pkey" PRIMARY KEY ("id")
);

-- Move the existing messages
ALTER TABLE "OutboxMessage" ADD COLUMN "bodyId" TEXT;
UPDATE "OutboxMessage" SET "bodyId" = encode(sha256(convert_to("message"::text, 'UTF8')), 'hex');
INSERT INTO "OutboxBody" ("id", "message")
SELECT DISTINCT ON ("bodyId") "bodyId", "message"::json FROM "OutboxMessage" ORDER BY "bodyId";

-- AlterTable
ALTER TABLE "OutboxMessage" ALTER COLUMN "bodyId" SET NOT NULL;
ALTER TABLE "OutboxMessage" DROP COLUMN "message";

-- AddForeignKey
ALTER TABLE "OutboxMessage" ADD CONSTRAINT "OutboxMessage_bodyId_fkey" FOREIGN KEY ("bodyId") REFERENCES "OutboxBody"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
