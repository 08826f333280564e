-- CreateIndex
CREATE INDEX "Lesson_projectId_createdAt_idx" ON "Lesson"("projectId", "createdAt");

-- Learn from others ranks the lessons of a phase for each asking project. Scoring every lesson
-- with ts_rank is what made it slow, two stored columns give a cheap upper bound of the
-- score of each lesson, so only the few lessons that can still reach the top are scored exactly
-- (src/persistence/related-lessons.ts). Generated in the database, so every insert path
-- (imports, exchange, starter sets) fills them. Prisma cannot express these columns or the
-- partial covering index: `prisma migrate diff` keeps showing "relatedBits"/"relatedCap"
-- DROP DEFAULT / SET DATA TYPE lines, as it does for "search", strip them like those.

-- The same vector as the generated "search" column (a generated column cannot read another).
CREATE FUNCTION lesson_search_vector(body text, recommendation text, context text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT setweight(to_tsvector('dutch', body), 'A') || setweight(to_tsvector('english', body), 'A') ||
    setweight(to_tsvector('dutch', coalesce(recommendation, '')), 'B') ||
    setweight(to_tsvector('english', coalesce(recommendation, '')), 'B') ||
    setweight(to_tsvector('dutch', coalesce(context, '')), 'C') ||
    setweight(to_tsvector('english', coalesce(context, '')), 'C')
$$;

-- One bit per lexeme out of 1024, from hashtext (the hash behind hash indexes, kept stable
-- across PostgreSQL versions for them): a lexeme whose bit is off is certainly absent.
CREATE FUNCTION lesson_lexeme_bits(lexemes text[]) RETURNS bit(1024)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(bit_or(B'1'::bit(1024) >> (hashtext(x) & 1023)), B'0'::bit(1024))
  FROM unnest(lexemes) x
$$;

-- The bits of the lexemes of a lesson and of its themes (as "#theme"), in one set.
CREATE FUNCTION lesson_related_bits(vector tsvector, themes text[]) RETURNS bit(1024)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT lesson_lexeme_bits(tsvector_to_array(vector) || ARRAY(SELECT '#' || coalesce(t, '') FROM unnest(themes) t))
$$;

-- The most one lexeme of this vector adds to the default ts_rank (OR-query) rank, as
-- calc_rank_or in PostgreSQL counts it: weights A 1.0, B 0.4, C 0.2, D 0.1, the first
-- occurrence of the highest weight counts in full, every occurrence j adds weight / j².
CREATE FUNCTION lesson_rank_cap(vector tsvector) RETURNS real
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(max((g.m + g.s - g.m / (g.f * g.f)) / 1.64493406685), 0)::real
  FROM (
    SELECT max(p.w) AS m, sum(p.w / (p.j * p.j)) AS s, (min(ARRAY[-p.w, p.j]))[2] AS f
    FROM unnest(vector) WITH ORDINALITY u(lexeme, positions, weights, k),
      unnest(coalesce(u.weights, '{D}')) WITH ORDINALITY o(x, j),
      LATERAL (SELECT CASE o.x WHEN 'A' THEN 1.0 WHEN 'B' THEN 0.4 WHEN 'C' THEN 0.2 ELSE 0.1 END::float8 AS w,
        o.j::float8 AS j) p
    GROUP BY u.k) g
$$;

ALTER TABLE "Lesson" ADD COLUMN "relatedBits" bit(1024) GENERATED ALWAYS AS (
  lesson_related_bits(lesson_search_vector("text", "recommendation", "context"), "themes")
) STORED;
ALTER TABLE "Lesson" ADD COLUMN "relatedCap" real GENERATED ALWAYS AS (
  lesson_rank_cap(lesson_search_vector("text", "recommendation", "context"))
) STORED;

-- Everything the bound needs, for index-only scans of the reviewed lessons of a phase: those
-- of one organisation, and those shared by any.
CREATE INDEX "Lesson_related_idx" ON "Lesson" ("phase", "visibility", "organisationId") INCLUDE (
  "id", "projectId", "createdAt", "relatedBits", "relatedCap", "usefulCount", "notUsefulCount"
) WHERE "status" = 'confirmed';
