-- Actions where teams track work: a project's Jira or Azure DevOps Boards, and each action's work item there.

-- CreateTable
CREATE TABLE "ProjectTracker" (
    "projectId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "baseUrl" TEXT NOT NULL,
    "trackerProject" TEXT NOT NULL,
    "credentials" TEXT NOT NULL,
    "autoSend" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProjectTracker_pkey" PRIMARY KEY ("projectId"),
    CONSTRAINT "ProjectTracker_kind_check" CHECK ("kind" IN ('jira', 'azure-devops'))
);

-- CreateTable
CREATE TABLE "TrackerExport" (
    "actionId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "claimedUntil" TIMESTAMP(3),
    "tracker" TEXT,
    "externalKey" TEXT,
    "url" TEXT,
    "errorCode" TEXT,
    "requestedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "TrackerExport_pkey" PRIMARY KEY ("actionId"),
    CONSTRAINT "TrackerExport_status_check" CHECK ("status" IN ('pending', 'sent', 'failed'))
);

-- CreateIndex
CREATE INDEX "TrackerExport_status_idx" ON "TrackerExport"("status");

-- AddForeignKey
ALTER TABLE "ProjectTracker" ADD CONSTRAINT "ProjectTracker_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrackerExport" ADD CONSTRAINT "TrackerExport_actionId_fkey" FOREIGN KEY ("actionId") REFERENCES "ActionItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;
