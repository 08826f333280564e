-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "setupKey" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Project_setupKey_key" ON "Project"("setupKey");

-- AlterTable
ALTER TABLE "GateDecision" ADD COLUMN     "formKey" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "GateDecision_formKey_key" ON "GateDecision"("formKey");
