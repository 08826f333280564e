-- Claiming a message and marking it sent change its status. With no index on the status,
-- a claim stays on the row's page (a HOT update) and touches no index, and marking it sent
-- touches two instead of three. Messages still waiting are found through a partial index on
-- those not yet sent, and each page keeps a fifth of its room free for those updates.

-- DropIndex
DROP INDEX "OutboxMessage_status_createdAt_idx";

-- CreateIndex
CREATE INDEX "OutboxMessage_waiting_idx" ON "OutboxMessage" ("createdAt", "id") WHERE "sentAt" IS NULL;

-- Room on each page
ALTER TABLE "OutboxMessage" SET (fillfactor = 80);
