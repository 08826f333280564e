-- Owners of actions are chosen, never derived from who wrote the answer: clear the owners
-- that earlier versions took from the answer's writer.
UPDATE "ActionItem" a SET "ownerId" = NULL
FROM "Answer" s
WHERE s.id = a."sourceAnswerId" AND a."ownerId" = s."personId";
