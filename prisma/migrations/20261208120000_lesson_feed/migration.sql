-- Lesson exchange between installations (README "Lesson exchange"): the installation's
-- signing key, the feeds an organisation subscribes to, the lessons pulled from them, and
-- tombstones of shared lessons that were withdrawn or erased, so subscribers remove them too.

-- One Ed25519 key per installation, the private key sealed with AES-256-GCM (token-cipher.ts).
CREATE TABLE "LessonFeedKey" (
    "id" TEXT NOT NULL,
    "publicKey" TEXT NOT NULL,
    "privateKeySealed" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "LessonFeedKey_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "LessonSubscription" (
    "id" TEXT NOT NULL,
    "organisationId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "keyId" TEXT NOT NULL,
    "publicKey" TEXT NOT NULL,
    "nextUrl" TEXT NOT NULL,
    "lastError" TEXT,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastPulledAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "LessonSubscription_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "LessonSubscription_organisationId_url_key" ON "LessonSubscription"("organisationId", "url");
ALTER TABLE "LessonSubscription" ADD CONSTRAINT "LessonSubscription_organisationId_fkey"
    FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- No foreign key to Organisation: deleting an organisation deletes its lessons, whose
-- trigger writes tombstones in the same statement.
CREATE TABLE "LessonTombstone" (
    "lessonId" TEXT NOT NULL,
    "organisationId" TEXT NOT NULL,
    "deletedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "LessonTombstone_pkey" PRIMARY KEY ("lessonId")
);
CREATE INDEX "LessonTombstone_organisationId_deletedAt_idx" ON "LessonTombstone"("organisationId", "deletedAt");

-- A lesson pulled from a feed: whose feed, and its id there (an edit updates the same row).
ALTER TABLE "Lesson" ADD COLUMN "feedSubscriptionId" TEXT, ADD COLUMN "feedItemId" TEXT;
CREATE UNIQUE INDEX "Lesson_feedSubscriptionId_feedItemId_key" ON "Lesson"("feedSubscriptionId", "feedItemId");
ALTER TABLE "Lesson" ADD CONSTRAINT "Lesson_feedSubscriptionId_fkey"
    FOREIGN KEY ("feedSubscriptionId") REFERENCES "LessonSubscription"("id") ON DELETE CASCADE ON UPDATE CASCADE;
CREATE INDEX "Lesson_feed_idx" ON "Lesson"("organisationId", "updatedAt", "id")
    WHERE visibility = 'shared' AND status = 'confirmed' AND publisher IS NULL AND "feedSubscriptionId" IS NULL;

-- In the database, not in a repository: every path that changes or deletes a lesson (an
-- edit, a dismissal, retention, erasing the organisation, a statement by hand) moves it in
-- the feed or leaves a tombstone. A lesson is published while it is the organisation's own,
-- shared and confirmed (the same condition as the feed's query and index above).
-- Written as an E'' string with each semicolon as \x3B: Prisma's driver adapter splits a
-- migration at every semicolon, also inside a function body.
CREATE FUNCTION "lesson_feed_track"() RETURNS trigger LANGUAGE plpgsql AS E'
DECLARE
  was_published boolean\x3B
  now_published boolean\x3B
BEGIN
  was_published := TG_OP <> ''INSERT'' AND OLD.visibility = ''shared'' AND OLD.status = ''confirmed''
    AND OLD.publisher IS NULL AND OLD."feedSubscriptionId" IS NULL\x3B
  IF TG_OP = ''DELETE'' THEN
    IF was_published THEN
      INSERT INTO "LessonTombstone" ("lessonId", "organisationId", "deletedAt")
      VALUES (OLD.id, OLD."organisationId", clock_timestamp() AT TIME ZONE ''UTC'')
      ON CONFLICT ("lessonId") DO UPDATE SET "deletedAt" = EXCLUDED."deletedAt"\x3B
    END IF\x3B
    RETURN OLD\x3B
  END IF\x3B
  IF TG_OP = ''UPDATE'' AND NEW."updatedAt" IS NOT DISTINCT FROM OLD."updatedAt" THEN
    NEW."updatedAt" := clock_timestamp() AT TIME ZONE ''UTC''\x3B
  END IF\x3B
  now_published := NEW.visibility = ''shared'' AND NEW.status = ''confirmed''
    AND NEW.publisher IS NULL AND NEW."feedSubscriptionId" IS NULL\x3B
  IF was_published AND NOT now_published THEN
    INSERT INTO "LessonTombstone" ("lessonId", "organisationId", "deletedAt")
    VALUES (NEW.id, NEW."organisationId", clock_timestamp() AT TIME ZONE ''UTC'')
    ON CONFLICT ("lessonId") DO UPDATE SET "deletedAt" = EXCLUDED."deletedAt"\x3B
  ELSIF now_published THEN
    DELETE FROM "LessonTombstone" WHERE "lessonId" = NEW.id\x3B
  END IF\x3B
  RETURN NEW\x3B
END ';

CREATE TRIGGER "Lesson_feed_track" BEFORE INSERT OR UPDATE OR DELETE ON "Lesson"
    FOR EACH ROW EXECUTE FUNCTION "lesson_feed_track"();
