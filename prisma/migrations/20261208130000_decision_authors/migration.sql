-- Who saved or dismissed a proposed lesson, and when. Who answered an action's latest review.
-- Plain ids like Checkpoint."decidedById": the messages that show them name the person while they exist.
ALTER TABLE "Lesson" ADD COLUMN "reviewedById" TEXT, ADD COLUMN "reviewedAt" TIMESTAMP(3);
ALTER TABLE "ActionItem" ADD COLUMN "reviewedById" TEXT;
