-- AlterTable
ALTER TABLE "ActionItem" ADD COLUMN     "reviewedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Lesson" ADD COLUMN     "status" TEXT NOT NULL DEFAULT 'confirmed';

-- AlterTable
ALTER TABLE "Organisation" ADD COLUMN     "quietHoursEnd" INTEGER NOT NULL DEFAULT 480,
ADD COLUMN     "quietHoursStart" INTEGER NOT NULL DEFAULT 1080;

-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "followThrough" DOUBLE PRECISION,
ADD COLUMN     "formatRotation" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "holidayPolicy" TEXT NOT NULL DEFAULT 'move',
ADD COLUMN     "skipNext" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "ProcessedEvent" (
    "platform" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProcessedEvent_pkey" PRIMARY KEY ("platform","eventId")
);

-- CreateIndex
CREATE INDEX "ProcessedEvent_createdAt_idx" ON "ProcessedEvent"("createdAt");

