-- Columns that hold one of a fixed set of values say so: a CHECK per column, with the
-- same lists as src/domain (test/integration/schema-checks.test.ts keeps them equal).
-- Known spellings from before are normalised first, so existing rows pass.

UPDATE "Membership" SET role = 'adviser' WHERE role IN ('advisor', 'advisers', 'advisors');
UPDATE "Person" SET roles = array_replace(roles, 'advisor', 'adviser') WHERE 'advisor' = ANY (roles);
UPDATE "Person" SET locale = NULL WHERE locale IS NOT NULL AND locale NOT IN ('nl', 'en');
UPDATE "Organisation" SET locale = 'nl' WHERE locale NOT IN ('nl', 'en');

-- A cycle holds its questions in every language and each person gets their own, so one
-- language per cycle (always nl) said nothing.
ALTER TABLE "RetroCycle" DROP COLUMN "locale";

ALTER TABLE "Organisation" ADD CONSTRAINT "Organisation_locale_check" CHECK ("locale" IN ('nl', 'en'));
ALTER TABLE "Person" ADD CONSTRAINT "Person_locale_check" CHECK ("locale" IS NULL OR "locale" IN ('nl', 'en'));
ALTER TABLE "Install" ADD CONSTRAINT "Install_platform_check" CHECK ("platform" IN ('web', 'slack', 'teams'));
ALTER TABLE "ChatIdentity" ADD CONSTRAINT "ChatIdentity_platform_check" CHECK ("platform" IN ('web', 'slack', 'teams'));
ALTER TABLE "ProjectChannel" ADD CONSTRAINT "ProjectChannel_platform_check" CHECK ("platform" IN ('web', 'slack', 'teams'));
ALTER TABLE "OutboxMessage" ADD CONSTRAINT "OutboxMessage_platform_check" CHECK ("platform" IN ('web', 'slack', 'teams'));
ALTER TABLE "Project" ADD CONSTRAINT "Project_phase_check" CHECK ("phase" IN ('explore', 'pilot', 'implement', 'scale', 'stopped', 'finished'));
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_role_check" CHECK ("role" IN ('member', 'lead', 'manager', 'adviser', 'sponsor'));
ALTER TABLE "RetroCycle" ADD CONSTRAINT "RetroCycle_status_check" CHECK ("status" IN ('open', 'closed', 'skipped'));
ALTER TABLE "ActionItem" ADD CONSTRAINT "ActionItem_status_check" CHECK ("status" IN ('open', 'done', 'not-yet', 'dropped'));
ALTER TABLE "Lesson" ADD CONSTRAINT "Lesson_phase_check" CHECK ("phase" IN ('explore', 'pilot', 'implement', 'scale', 'stopped', 'finished'));
ALTER TABLE "Lesson" ADD CONSTRAINT "Lesson_status_check" CHECK ("status" IN ('proposed', 'confirmed', 'dismissed'));
ALTER TABLE "Lesson" ADD CONSTRAINT "Lesson_visibility_check" CHECK ("visibility" IN ('team', 'organisation', 'shared'));
ALTER TABLE "Checkpoint" ADD CONSTRAINT "Checkpoint_phase_check" CHECK ("phase" IN ('explore', 'pilot', 'implement', 'scale', 'finished'));
ALTER TABLE "Checkpoint" ADD CONSTRAINT "Checkpoint_status_check" CHECK ("status" IN ('open', 'done', 'not-applicable'));
ALTER TABLE "GateDecision" ADD CONSTRAINT "GateDecision_fromPhase_check" CHECK ("fromPhase" IN ('explore', 'pilot', 'implement', 'scale'));
ALTER TABLE "GateDecision" ADD CONSTRAINT "GateDecision_toPhase_check" CHECK ("toPhase" IN ('explore', 'pilot', 'implement', 'scale', 'stopped', 'finished'));
ALTER TABLE "GateDecision" ADD CONSTRAINT "GateDecision_decision_check" CHECK ("decision" IN ('go', 'hold', 'recycle', 'stop', 'finish'));
ALTER TABLE "OutboxMessage" ADD CONSTRAINT "OutboxMessage_status_check" CHECK ("status" IN ('pending', 'sending', 'sent', 'failed'));
ALTER TABLE "Person" ADD CONSTRAINT "Person_roles_check" CHECK ("roles" <@ ARRAY['member', 'lead', 'manager', 'adviser', 'sponsor', 'admin']::text[]);
