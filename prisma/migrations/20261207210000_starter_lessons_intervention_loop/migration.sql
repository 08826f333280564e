-- The starter library tags its lessons with a policy domain (src/domain/policy-domain.ts).
ALTER TABLE "Lesson" ADD COLUMN "domain" TEXT;
ALTER TABLE "Lesson" ADD CONSTRAINT "Lesson_domain_check"
  CHECK ("domain" IS NULL OR "domain" IN ('public-space', 'housing', 'mobility', 'social'));

-- Advisers close the loop: what became of a suggested intervention.
CREATE TABLE "InterventionMark" (
    "id" TEXT NOT NULL,
    "organisationId" TEXT NOT NULL,
    "digestId" TEXT,
    "interventionId" TEXT NOT NULL,
    "themeId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "plannedFor" DATE,
    "givenOn" DATE,
    "projectIds" TEXT[],
    "periodStart" TIMESTAMP(3) NOT NULL,
    "periodEnd" TIMESTAMP(3) NOT NULL,
    "formKey" TEXT NOT NULL,
    "givenKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "InterventionMark_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "InterventionMark_status_check" CHECK ("status" IN ('planned', 'given', 'dismissed'))
);
CREATE UNIQUE INDEX "InterventionMark_formKey_key" ON "InterventionMark"("formKey");
CREATE UNIQUE INDEX "InterventionMark_givenKey_key" ON "InterventionMark"("givenKey");
CREATE INDEX "InterventionMark_organisationId_status_idx" ON "InterventionMark"("organisationId", "status");
ALTER TABLE "InterventionMark" ADD CONSTRAINT "InterventionMark_organisationId_fkey"
  FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "InterventionMark" ADD CONSTRAINT "InterventionMark_digestId_fkey"
  FOREIGN KEY ("digestId") REFERENCES "Digest"("id") ON DELETE SET NULL ON UPDATE CASCADE;

CREATE TABLE "CustomIntervention" (
    "id" TEXT NOT NULL,
    "organisationId" TEXT NOT NULL,
    "themeId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "formKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CustomIntervention_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "CustomIntervention_kind_check" CHECK ("kind" IN ('informal', 'formal'))
);
CREATE UNIQUE INDEX "CustomIntervention_formKey_key" ON "CustomIntervention"("formKey");
CREATE INDEX "CustomIntervention_organisationId_idx" ON "CustomIntervention"("organisationId");
ALTER TABLE "CustomIntervention" ADD CONSTRAINT "CustomIntervention_organisationId_fkey"
  FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
