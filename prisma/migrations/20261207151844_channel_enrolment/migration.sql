-- People the member list of a channel brought into a project, once, and the erased chat accounts it does not bring back (see schema.prisma)
-- CreateTable
CREATE TABLE "ChannelEnrolment" (
    "projectId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "enrolledAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChannelEnrolment_pkey" PRIMARY KEY ("projectId","personId")
);

-- CreateTable
CREATE TABLE "ErasedIdentity" (
    "key" TEXT NOT NULL,
    "erasedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ErasedIdentity_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "ChannelEnrolment_personId_idx" ON "ChannelEnrolment"("personId");

-- AddForeignKey
ALTER TABLE "ChannelEnrolment" ADD CONSTRAINT "ChannelEnrolment_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChannelEnrolment" ADD CONSTRAINT "ChannelEnrolment_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

