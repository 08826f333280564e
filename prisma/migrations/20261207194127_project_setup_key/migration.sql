-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "setupKey" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Project_setupKey_key" ON "Project"("setupKey");
