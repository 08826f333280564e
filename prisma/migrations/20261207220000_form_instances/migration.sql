-- CreateTable
CREATE TABLE "FormInstance" (
    "id" TEXT NOT NULL,
    "ownerKey" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FormInstance_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "FormInstance_kind_check" CHECK ("kind" IN ('retro', 'setup', 'checkpoint', 'gate', 'typed', 'asking'))
);

-- CreateIndex
CREATE INDEX "FormInstance_ownerKey_subject_idx" ON "FormInstance"("ownerKey", "subject");

-- CreateIndex
CREATE INDEX "FormInstance_createdAt_idx" ON "FormInstance"("createdAt");
