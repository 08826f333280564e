-- Live sense-making (`retro live`): the lead runs the voting during a meeting for a few
-- minutes, then walks the team through the top groups one by one. `liveStep` is how far the
-- walk-through got (0 = first top group); null for an async session.
ALTER TABLE "SenseSession" ADD COLUMN "live" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "SenseSession" ADD COLUMN "liveStep" INTEGER;
