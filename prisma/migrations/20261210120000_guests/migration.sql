-- Guests (README "Guests"): partners and residents outside the organisation's chat who
-- answer a project's retros by email and a web form, and the mails sent to them.

CREATE TABLE "ProjectGuest" (
    "projectId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "sector" TEXT,
    "unsubscribedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ProjectGuest_pkey" PRIMARY KEY ("projectId", "personId"),
    CONSTRAINT "ProjectGuest_sector_check" CHECK ("sector" IS NULL OR "sector" IN ('government', 'market', 'knowledge', 'residents'))
);
CREATE INDEX "ProjectGuest_personId_idx" ON "ProjectGuest"("personId");
ALTER TABLE "ProjectGuest" ADD CONSTRAINT "ProjectGuest_projectId_fkey"
    FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ProjectGuest" ADD CONSTRAINT "ProjectGuest_personId_fkey"
    FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "GuestMail" (
    "id" TEXT NOT NULL DEFAULT (gen_random_uuid())::text,
    "key" TEXT NOT NULL,
    "organisationId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "cycleId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "notBefore" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimedUntil" TIMESTAMP(3),
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),
    CONSTRAINT "GuestMail_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "GuestMail_kind_check" CHECK ("kind" IN ('invite', 'reminder')),
    CONSTRAINT "GuestMail_status_check" CHECK ("status" IN ('pending', 'sent', 'failed', 'dropped'))
);
CREATE UNIQUE INDEX "GuestMail_key_key" ON "GuestMail"("key");
CREATE INDEX "GuestMail_status_notBefore_idx" ON "GuestMail"("status", "notBefore");
CREATE INDEX "GuestMail_personId_idx" ON "GuestMail"("personId");
ALTER TABLE "GuestMail" ADD CONSTRAINT "GuestMail_personId_fkey"
    FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "GuestMail" ADD CONSTRAINT "GuestMail_cycleId_fkey"
    FOREIGN KEY ("cycleId") REFERENCES "RetroCycle"("id") ON DELETE CASCADE ON UPDATE CASCADE;
