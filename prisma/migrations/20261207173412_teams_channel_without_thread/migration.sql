-- A Teams channel is one project, whatever thread: a stored channel reference names the channel,
-- without the thread part (messageid) of the conversation id it was set up from. Where projects
-- were tied to two threads of one channel, the one set up first takes the channel and the others
-- keep their thread. chr(59) is the separator, written so because the migration runner splits at it.
WITH stripped AS (
  SELECT c.id,
         regexp_replace(c."conversationRef", chr(59) || 'messageid=[^"' || chr(59) || ']*', '', 'i') AS ref,
         p."createdAt"
  FROM "ProjectChannel" c
  JOIN "Project" p ON p.id = c."projectId"
  WHERE c.platform = 'teams' AND strpos(lower(c."conversationRef"), chr(59) || 'messageid=') > 0
), ranked AS (
  SELECT s.id, s.ref, row_number() OVER (PARTITION BY s.ref ORDER BY s."createdAt", s.id) AS n
  FROM stripped s
  WHERE NOT EXISTS (SELECT 1 FROM "ProjectChannel" o WHERE o.platform = 'teams' AND o."conversationRef" = s.ref)
)
UPDATE "ProjectChannel" c SET "conversationRef" = r.ref FROM ranked r WHERE c.id = r.id AND r.n = 1;
