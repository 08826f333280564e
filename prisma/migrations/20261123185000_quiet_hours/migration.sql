-- AlterTable
ALTER TABLE "Organisation" ADD COLUMN     "quietWeekends" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "notBefore" TIMESTAMP(3);

