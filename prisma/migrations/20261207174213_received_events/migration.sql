-- DropTable: received events replace the ProcessedEvent dedup (their key is unique too)
DROP TABLE "ProcessedEvent";

-- CreateTable
CREATE TABLE "ReceivedEvent" (
    "id" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "eventKey" TEXT NOT NULL,
    "payload" JSONB,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "claimedUntil" TIMESTAMP(3),
    "claimToken" TEXT,
    "notBefore" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "handledAt" TIMESTAMP(3),

    CONSTRAINT "ReceivedEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ReceivedEvent_status_notBefore_idx" ON "ReceivedEvent"("status", "notBefore");

-- CreateIndex
CREATE INDEX "ReceivedEvent_createdAt_idx" ON "ReceivedEvent"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ReceivedEvent_platform_eventKey_key" ON "ReceivedEvent"("platform", "eventKey");

