// bench/digest: one organisation with 500 projects, 100,000 lessons and 20,000 answers
// in the period (plus earlier periods for the trends), in a fresh database this script
// creates and drops. Prints the time and peak memory to build one digest (content, view,
// Markdown; the PDF separately) and the ratio to the aggregate SQL queries alone.
// Run: node --import tsx bench/digest.ts   (BENCH_POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432/postgres)
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { createDatabase } from "../src/persistence/database.ts";
import { queryDigestFacts } from "../src/persistence/digest-queries.ts";
import { migrateDatabase } from "../src/persistence/migrate.ts";
import { createStores } from "../src/persistence/unit-of-work.ts";
import { createPromptCatalog } from "../src/prompts/prompt-catalog.ts";
import { digestPdf } from "../src/runtime/digest-pdf.ts";
import { composeDigest } from "../src/use-cases/digest/compose-digest.ts";
import { digestMarkdown } from "../src/use-cases/digest/digest-markdown.ts";
import { digestView } from "../src/use-cases/digest/digest-view.ts";

const PROJECTS = 500;
const MEMBERS = 8;
const LESSONS = 100_000;
const ANSWERS = 20_000; // PROJECTS × MEMBERS × 5 questions in the period's cycle
const RUNS = 5;
const DAY = 24 * 60 * 60 * 1000;

const admin = new URL(process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
const name = `leerlus_bench_digest_${randomBytes(4).toString("hex")}`;
const url = new URL(admin.toString());
url.pathname = `/${name}`;

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; peakHeap: number; result: T }> {
  global.gc?.();
  const baseline = process.memoryUsage().heapUsed;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 2);
  const started = performance.now();
  const result = await work();
  const ms = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  return { ms, peakHeap: peak - baseline, result };
}

async function main(): Promise<void> {
  const setupStarted = performance.now();
  await adminQuery(`CREATE DATABASE "${name}"`);
  const db = createDatabase(url.toString(), 4);
  try {
    await migrateDatabase(url.toString());
    const now = new Date("2026-11-23T10:00:00Z");
    const from = new Date(now.getTime() - 7 * DAY);
    const client = new pg.Client({ connectionString: url.toString() });
    client.on("error", () => {});
    await client.connect();
    const themes = `ARRAY['user-involvement','scaling','data-ethics-privacy','collaboration','organisation-culture','data-quality','technology','governance-ownership','communication','procurement-partners']`;
    const NOW_SQL = now.toISOString();
    const FROM_SQL = from.toISOString();
    const seed = [
      `INSERT INTO "Organisation" (id, name) VALUES ('org', 'Bench')`,
      `INSERT INTO "Project" (id, "organisationId", name, cadence, phase, "phaseSince", anonymous)
         SELECT 'p' || i, 'org', 'Project ' || i, '{}'::jsonb, (ARRAY['explore','pilot','implement','scale'])[1 + i % 4],
                '${NOW_SQL}'::timestamp - (i % 300) * interval '1 day', i % 10 = 0
         FROM generate_series(1, ${PROJECTS}) i`,
      `INSERT INTO "Person" (id, "organisationId", "displayName") SELECT 'u' || i, 'org', 'Person ' || i FROM generate_series(1, ${PROJECTS * MEMBERS}) i`,
      `INSERT INTO "Membership" (id, "projectId", "personId", role)
         SELECT gen_random_uuid(), 'p' || (1 + (i - 1) / ${MEMBERS}), 'u' || i, 'member' FROM generate_series(1, ${PROJECTS * MEMBERS}) i`,
      // Six cycles per project, one per week: the period's and five before it.
      `INSERT INTO "RetroCycle" (id, "projectId", sequence, format, questions, status, "opensAt", "remindsAt", "closesAt", "closedAt")
         SELECT 'c' || p || '-' || w, 'p' || p, w, 'phase', '{}'::jsonb, 'closed',
                '${NOW_SQL}'::timestamp - (w + 1) * interval '7 days' + interval '1 day', '${NOW_SQL}'::timestamp - (w + 1) * interval '7 days' + interval '2 days',
                '${NOW_SQL}'::timestamp - (w + 1) * interval '7 days' + interval '3 days', '${NOW_SQL}'::timestamp - (w + 1) * interval '7 days' + interval '3 days'
         FROM generate_series(1, ${PROJECTS}) p, generate_series(0, 5) w`,
      `INSERT INTO "Delivery" (id, "cycleId", "personId", "answeredAt")
         SELECT gen_random_uuid(), 'c' || p || '-' || w, 'u' || ((p - 1) * ${MEMBERS} + m),
                CASE WHEN (p + m + w) % 4 = 0 THEN NULL ELSE '${NOW_SQL}'::timestamp - (w + 1) * interval '7 days' + interval '2 days' END
         FROM generate_series(1, ${PROJECTS}) p, generate_series(0, 5) w, generate_series(1, ${MEMBERS}) m`,
      // 20,000 answers in the period (five per member of the period's cycle), 5,000 the week before.
      `INSERT INTO "Answer" (id, "cycleId", "responseKey", "questionKey", text, score, "createdAt", "updatedAt")
         SELECT gen_random_uuid(), 'c' || p || '-' || w, 'r' || p || '-' || w || '-' || m,
                (ARRAY['learning-score','went-well','do-differently','learned','stuck'])[q],
                CASE WHEN q = 1 THEN NULL ELSE 'answer' END, CASE WHEN q = 1 THEN 1 + (p + m) % 5 END,
                '${NOW_SQL}'::timestamp - (w + 1) * interval '7 days' + interval '2 days', '${NOW_SQL}'::timestamp
         FROM generate_series(1, ${PROJECTS}) p, generate_series(0, 1) w, generate_series(1, ${MEMBERS}) m,
              generate_series(1, 5) q
         WHERE w = 0 OR m <= 2`,
      `INSERT INTO "Lesson" (id, "organisationId", "projectId", phase, text, themes, disciplines, "usefulCount", visibility, "createdAt")
         SELECT gen_random_uuid(), 'org', 'p' || (1 + i % ${PROJECTS}), 'pilot',
                'Lesson ' || i || ': involve residents before the pilot and agree on the owner early',
                ARRAY[(${themes})[1 + i % 10], (${themes})[1 + (i / 7) % 10]], '{}', i % 13,
                CASE WHEN i % 20 = 0 THEN 'team' ELSE 'organisation' END,
                '${FROM_SQL}'::timestamp + (i % 6000) * interval '1 minute' * 1.68
         FROM generate_series(1, ${LESSONS}) i`,
      `INSERT INTO "Lesson" (id, "organisationId", "projectId", phase, text, themes, disciplines, "createdAt")
         SELECT gen_random_uuid(), 'org', 'p' || (1 + i % ${PROJECTS}), 'pilot', 'Earlier lesson ' || i,
                ARRAY[(${themes})[1 + i % 10]], '{}', '${FROM_SQL}'::timestamp - (1 + i % 34) * interval '1 day'
         FROM generate_series(1, 20000) i`,
      `INSERT INTO "ActionItem" (id, "projectId", text, status, "reviewedAt")
         SELECT gen_random_uuid(), 'p' || (1 + i % ${PROJECTS}), 'Action ' || i,
                (ARRAY['done','not-yet','dropped','done'])[1 + i % 4], '${FROM_SQL}'::timestamp + (i % 160) * interval '1 hour' - (i % 2) * interval '7 days'
         FROM generate_series(1, 8000) i`,
      `INSERT INTO "Checkpoint" (id, "projectId", phase, key, "dueAt", "nudgesSent")
         SELECT gen_random_uuid(), p.id, p.phase, 'k' || k, '${NOW_SQL}'::timestamp, (k + length(p.id)) % 5
         FROM "Project" p, generate_series(1, 3) k`,
    ];
    for (const sql of seed) {
      await client.query(sql).catch((error: Error) => {
        throw new Error(`${error.message} in: ${sql.slice(0, 80)}`);
      });
    }
    await client.query("ANALYZE");
    const counts = (
      await client.query(
        `SELECT (SELECT count(*) FROM "Lesson" WHERE "createdAt" >= $1 AND "createdAt" < $2) AS lessons,
                (SELECT count(*) FROM "Answer" WHERE "createdAt" >= $1 AND "createdAt" < $2) AS answers,
                (SELECT count(*) FROM "Project") AS projects`,
        [from.toISOString(), now.toISOString()],
      )
    ).rows[0];
    await client.end();
    if (Number(counts.answers) !== ANSWERS) throw new Error(`expected ${ANSWERS} answers in the period`);
    console.log(
      `seeded ${counts.projects} projects, ${counts.lessons} lessons and ${counts.answers} answers in the period in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s`,
    );

    const prompts = createPromptCatalog(path.resolve(import.meta.dirname, "../prompts"));
    const input = { organisationId: "org", periodStart: from, periodEnd: now };
    await queryDigestFacts(db, input); // warm up connections and plans
    const sqlTimes: number[] = [];
    const buildTimes: number[] = [];
    const heaps: number[] = [];
    let markdownLength = 0;
    let pdfMs = 0;
    let pdfBytes = 0;
    for (let run = 0; run < RUNS; run++) {
      sqlTimes.push((await timed(() => queryDigestFacts(db, input))).ms);
      const build = await timed(async () => {
        const content = await composeDigest({
          stores: createStores(db),
          prompts,
          organisationId: "org",
          periodStart: from,
          periodEnd: now,
          minGroupSize: 3,
        });
        const view = digestView({ prompts, locale: "nl", organisationName: "Bench", content });
        return { view, markdown: digestMarkdown(view, "te weinig") };
      });
      buildTimes.push(build.ms);
      heaps.push(build.peakHeap);
      markdownLength = build.result.markdown.length;
      const pdf = await timed(() => digestPdf(build.result.view, "te weinig"));
      pdfMs = pdf.ms;
      pdfBytes = pdf.result.length;
    }
    const sql = median(sqlTimes);
    const build = median(buildTimes);
    console.log(`aggregate SQL alone:  ${sql.toFixed(0)} ms (median of ${RUNS})`);
    console.log(
      `build one digest:     ${build.toFixed(0)} ms (median of ${RUNS}; content, view and ${markdownLength} characters of Markdown)`,
    );
    console.log(`ratio build / SQL:    ${(build / sql).toFixed(2)}`);
    console.log(
      `peak memory:          ${(Math.max(...heaps) / 1024 / 1024).toFixed(1)} MB heap above baseline while building, rss ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB`,
    );
    console.log(`PDF of that digest:   ${pdfMs.toFixed(0)} ms, ${(pdfBytes / 1024).toFixed(0)} kB`);
  } finally {
    await db.destroy();
    await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}

await main();
