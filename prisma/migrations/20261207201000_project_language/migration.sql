-- The language a project's team channel reads on Slack and Teams, set by its lead:
-- nl, en or both (one message in both). NULL: the organisation's language.
ALTER TABLE "Project" ADD COLUMN "language" TEXT;
ALTER TABLE "Project" ADD CONSTRAINT "Project_language_check" CHECK ("language" IN ('nl', 'en', 'both'));
