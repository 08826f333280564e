-- AlterTable
ALTER TABLE "Person" ADD COLUMN     "email" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Person_organisationId_email_key" ON "Person"("organisationId", "email");

