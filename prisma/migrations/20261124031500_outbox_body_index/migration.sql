-- Retention and erasure delete contents no message uses any more. The foreign key checks
-- each deleted content against the messages: without this index, one scan of the whole
-- outbox per content.

-- CreateIndex
CREATE INDEX "OutboxMessage_bodyId_idx" ON "OutboxMessage"("bodyId");
