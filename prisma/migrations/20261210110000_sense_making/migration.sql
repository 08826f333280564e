-- Making sense together: a closed retro's answers grouped by theme, and a secret vote on the groups.

-- AlterTable
ALTER TABLE "Project" ADD COLUMN "votesEach" INTEGER NOT NULL DEFAULT 3;
ALTER TABLE "Project" ADD CONSTRAINT "Project_votesEach_check" CHECK ("votesEach" BETWEEN 1 AND 10);

-- CreateTable
CREATE TABLE "SenseSession" (
    "cycleId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "votesEach" INTEGER NOT NULL,
    "votingClosesAt" TIMESTAMP(3) NOT NULL,
    "closedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SenseSession_pkey" PRIMARY KEY ("cycleId"),
    CONSTRAINT "SenseSession_votesEach_check" CHECK ("votesEach" BETWEEN 1 AND 10)
);

-- CreateTable
CREATE TABLE "SenseGroup" (
    "id" TEXT NOT NULL DEFAULT (gen_random_uuid())::text,
    "cycleId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "themeId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SenseGroup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SenseGroupAnswer" (
    "answerId" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,

    CONSTRAINT "SenseGroupAnswer_pkey" PRIMARY KEY ("answerId")
);

-- CreateTable
CREATE TABLE "SenseVote" (
    "groupId" TEXT NOT NULL,
    "cycleId" TEXT NOT NULL,
    "voterKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SenseVote_pkey" PRIMARY KEY ("groupId","voterKey")
);

-- CreateIndex
CREATE INDEX "SenseSession_projectId_closedAt_idx" ON "SenseSession"("projectId", "closedAt");

-- CreateIndex
CREATE UNIQUE INDEX "SenseGroup_cycleId_position_key" ON "SenseGroup"("cycleId", "position");

-- CreateIndex
CREATE INDEX "SenseGroupAnswer_groupId_idx" ON "SenseGroupAnswer"("groupId");

-- CreateIndex
CREATE INDEX "SenseVote_cycleId_voterKey_idx" ON "SenseVote"("cycleId", "voterKey");

-- AddForeignKey
ALTER TABLE "SenseSession" ADD CONSTRAINT "SenseSession_cycleId_fkey" FOREIGN KEY ("cycleId") REFERENCES "RetroCycle"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SenseGroup" ADD CONSTRAINT "SenseGroup_cycleId_fkey" FOREIGN KEY ("cycleId") REFERENCES "SenseSession"("cycleId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SenseGroupAnswer" ADD CONSTRAINT "SenseGroupAnswer_answerId_fkey" FOREIGN KEY ("answerId") REFERENCES "Answer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SenseGroupAnswer" ADD CONSTRAINT "SenseGroupAnswer_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "SenseGroup"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SenseVote" ADD CONSTRAINT "SenseVote_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "SenseGroup"("id") ON DELETE CASCADE ON UPDATE CASCADE;
