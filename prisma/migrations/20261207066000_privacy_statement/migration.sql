-- AlterTable
ALTER TABLE "Organisation" ADD COLUMN     "privacyStatement" JSONB NOT NULL DEFAULT '{}';
