-- AlterTable
-- Null: the series starts when the project was created.
ALTER TABLE "Project" ADD COLUMN     "cadenceSince" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "RetroCycle" ADD COLUMN     "plannedAt" TIMESTAMP(3);

-- Existing schedules keep their rhythm: the series starts at each project's latest retro,
-- and a cycle from before this change stands for the slot it opened at.
UPDATE "RetroCycle" SET "plannedAt" = "opensAt";
UPDATE "Project" p SET "cadenceSince" = coalesce(
  (SELECT c."opensAt" FROM "RetroCycle" c WHERE c."projectId" = p.id ORDER BY c.sequence DESC LIMIT 1), p."createdAt");

-- CreateTable
CREATE TABLE "OrganisationDayOff" (
    "id" TEXT NOT NULL,
    "organisationId" TEXT NOT NULL,
    "date" DATE NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OrganisationDayOff_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "OrganisationDayOff_organisationId_date_key" ON "OrganisationDayOff"("organisationId", "date");

-- AddForeignKey
ALTER TABLE "OrganisationDayOff" ADD CONSTRAINT "OrganisationDayOff_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

