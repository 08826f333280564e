-- The team pulse: every N-th retro asks a few statements on how the team learns together (0: never).
ALTER TABLE "Project" ADD COLUMN "pulseEvery" INTEGER NOT NULL DEFAULT 4;
ALTER TABLE "Project" ADD CONSTRAINT "Project_pulseEvery_check" CHECK ("pulseEvery" BETWEEN 0 AND 12);
