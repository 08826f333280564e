-- AlterTable
ALTER TABLE "Checkpoint" ADD COLUMN     "reason" TEXT;

-- AlterTable
ALTER TABLE "Lesson" ADD COLUMN     "contact" TEXT,
ADD COLUMN     "context" TEXT,
ADD COLUMN     "licence" TEXT,
ADD COLUMN     "notUsefulCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "publisher" TEXT,
ADD COLUMN     "recommendation" TEXT,
ADD COLUMN     "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "usefulCount" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Organisation" ADD COLUMN     "phaseTargets" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "gateDate" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "LessonRevision" (
    "id" TEXT NOT NULL,
    "lessonId" TEXT NOT NULL,
    "editorId" TEXT,
    "before" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LessonRevision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LessonShare" (
    "id" TEXT NOT NULL,
    "lessonId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "cycleId" TEXT,
    "useful" BOOLEAN,
    "feedbackById" TEXT,
    "appliedAskedAt" TIMESTAMP(3),
    "applied" BOOLEAN,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LessonShare_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "LessonRevision_lessonId_createdAt_idx" ON "LessonRevision"("lessonId", "createdAt");

-- CreateIndex
CREATE INDEX "LessonShare_projectId_createdAt_idx" ON "LessonShare"("projectId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "LessonShare_lessonId_projectId_key" ON "LessonShare"("lessonId", "projectId");

-- AddForeignKey
ALTER TABLE "LessonRevision" ADD CONSTRAINT "LessonRevision_lessonId_fkey" FOREIGN KEY ("lessonId") REFERENCES "Lesson"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LessonShare" ADD CONSTRAINT "LessonShare_lessonId_fkey" FOREIGN KEY ("lessonId") REFERENCES "Lesson"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Search the lesson, its recommendation and its context, in Dutch and English, weighted
-- so a match in the lesson itself ranks first.
DROP INDEX "Lesson_search_idx";
ALTER TABLE "Lesson" DROP COLUMN "search";
ALTER TABLE "Lesson" ADD COLUMN "search" tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('dutch', "text"), 'A') || setweight(to_tsvector('english', "text"), 'A') ||
  setweight(to_tsvector('dutch', coalesce("recommendation", '')), 'B') ||
  setweight(to_tsvector('english', coalesce("recommendation", '')), 'B') ||
  setweight(to_tsvector('dutch', coalesce("context", '')), 'C') ||
  setweight(to_tsvector('english', coalesce("context", '')), 'C')
) STORED;
CREATE INDEX "Lesson_search_idx" ON "Lesson" USING GIN ("search");
