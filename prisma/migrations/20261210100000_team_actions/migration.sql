-- Team actions: an action may have several owners, each of whom took it or was assigned it by
-- a lead (never derived from who wrote the answer); it is proposed once per (cycle, key) and
-- anyone in the team may rewrite it, the text it replaced kept beside the new one.

-- CreateTable
CREATE TABLE "ActionOwner" (
    "actionId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "assignedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ActionOwner_pkey" PRIMARY KEY ("actionId","personId")
);

-- CreateIndex
CREATE INDEX "ActionOwner_personId_idx" ON "ActionOwner"("personId");

-- AddForeignKey
ALTER TABLE "ActionOwner" ADD CONSTRAINT "ActionOwner_actionId_fkey" FOREIGN KEY ("actionId") REFERENCES "ActionItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ActionOwner" ADD CONSTRAINT "ActionOwner_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ActionOwner" ADD CONSTRAINT "ActionOwner_assignedById_fkey" FOREIGN KEY ("assignedById") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- The one owner each action had becomes its first owner (how they became it is not known).
INSERT INTO "ActionOwner" ("actionId", "personId", "createdAt")
SELECT "id", "ownerId", "createdAt" FROM "ActionItem" WHERE "ownerId" IS NOT NULL;

ALTER TABLE "ActionItem" DROP CONSTRAINT "ActionItem_ownerId_fkey";
ALTER TABLE "ActionItem" DROP COLUMN "ownerId";

-- Existing actions were proposed from one answer each: that answer's id is their key. One made
-- otherwise (by hand, in a test) gets a key of its own.
ALTER TABLE "ActionItem" ADD COLUMN "proposalKey" TEXT,
ADD COLUMN "previousText" TEXT,
ADD COLUMN "rewrittenById" TEXT;
UPDATE "ActionItem" SET "proposalKey" = COALESCE("sourceAnswerId", "id");
ALTER TABLE "ActionItem" ALTER COLUMN "proposalKey" SET NOT NULL,
ALTER COLUMN "proposalKey" SET DEFAULT (gen_random_uuid())::text;

-- CreateIndex
CREATE UNIQUE INDEX "ActionItem_cycleId_proposalKey_key" ON "ActionItem"("cycleId", "proposalKey");

-- AddForeignKey
ALTER TABLE "ActionItem" ADD CONSTRAINT "ActionItem_rewrittenById_fkey" FOREIGN KEY ("rewrittenById") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;
