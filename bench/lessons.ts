// Lessons library benchmark: 100,000 generated lessons (Dutch and English) across 500
// projects in a fresh database (created and dropped here). Prints p50/p95 of chat search
// (`lessons <words>` through the use case) and of the related-lesson lookup (learn from
// others), and the ratio of Leerlus's search to the bare SQL full-text query on the same
// data and index, measured interleaved in the same run.
//
//   node --import tsx bench/lessons.ts        (BENCH_POSTGRES_URL to use another server)
import { randomBytes, randomUUID } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { createDatabase } from "../src/persistence/database.ts";
import { migrateDatabase } from "../src/persistence/migrate.ts";
import { createStores } from "../src/persistence/unit-of-work.ts";
import { systemClock } from "../src/ports/clock.ts";
import { NO_FILTERS } from "../src/ports/lesson-library.ts";
import { silentLogger } from "../src/ports/logger.ts";
import { createPromptCatalog } from "../src/prompts/prompt-catalog.ts";
import type { Deps } from "../src/use-cases/deps.ts";
import { searchLessonsMessage } from "../src/use-cases/lessons/search-lessons.ts";

const LESSONS = Number(process.env.BENCH_LESSONS ?? 100_000);
const PROJECTS = 500;
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 300);
const BATCH = 5_000;
const base = new URL(process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");

// A small seeded generator, so every run searches the same data.
let seed = 42;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

const NL = {
  subject: [
    "De gebruikers",
    "Inwoners",
    "Het team",
    "De leverancier",
    "De wethouder",
    "Beheer",
    "De privacy officer",
    "Raadsleden",
    "De data-analist",
    "Ambtenaren",
  ],
  verb: [
    "wilden",
    "vergaten",
    "betrokken",
    "vroegen om",
    "twijfelden over",
    "regelden",
    "testten",
    "misten",
    "koppelden",
    "deelden",
  ],
  object: [
    "de DPIA",
    "een werkend prototype",
    "de sensoren",
    "het dashboard",
    "de parkeerdata",
    "de aanbesteding",
    "de overdracht aan beheer",
    "de datakwaliteit",
    "het draagvlak in de wijk",
    "de algoritmes",
  ],
  tail: [
    "te laat",
    "vanaf de eerste schets",
    "pas na de pilot",
    "zonder eigenaar",
    "met veel betrokkenheid",
    "in de lijnorganisatie",
    "na drie maanden",
    "voor de gemeenteraad",
    "bij het opschalen",
    "met open data",
  ],
};
const EN = {
  subject: [
    "Users",
    "Residents",
    "The team",
    "The supplier",
    "The alderman",
    "Operations",
    "The privacy officer",
    "Council members",
    "The data analyst",
    "Civil servants",
  ],
  verb: ["wanted", "forgot", "involved", "asked for", "doubted", "arranged", "tested", "missed", "connected", "shared"],
  object: [
    "the DPIA",
    "a working prototype",
    "the sensors",
    "the dashboard",
    "the parking data",
    "the procurement",
    "the handover to operations",
    "the data quality",
    "support in the neighbourhood",
    "the algorithms",
  ],
  tail: [
    "too late",
    "from the first sketch",
    "only after the pilot",
    "without an owner",
    "with a lot of involvement",
    "in the line organisation",
    "after three months",
    "for the council",
    "when scaling up",
    "with open data",
  ],
};
const THEMES = [
  "user-involvement",
  "scaling",
  "data-ethics-privacy",
  "collaboration",
  "organisation-culture",
  "data-quality",
  "technology",
  "governance-ownership",
  "communication",
  "procurement-partners",
  "public-value",
];
const PHASES = ["explore", "pilot", "implement", "scale"];
const VISIBILITY = ["organisation", "organisation", "organisation", "team", "shared"];
const QUERIES = [
  "dpia",
  "gebruikers",
  "betrokkenheid",
  "sensoren",
  "parkeerdata",
  "overdracht beheer",
  '"werkend prototype"',
  "users",
  "involvement",
  "procurement",
  '"handover to operations"',
  "data quality",
  "dashboard",
  "opschalen",
  "eigenaar lijnorganisatie",
  "council",
  "open data",
  "algoritmes",
  "supplier",
  "draagvlak wijk",
];

function sentence(words: typeof NL): string {
  return `${pick(words.subject)} ${pick(words.verb)} ${pick(words.object)} ${pick(words.tail)}.`;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

const ms = (value: number) => `${value.toFixed(2)} ms`;

async function time(work: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function main(): Promise<void> {
  const name = `leerlus_bench_lessons_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  const started = Date.now();
  const bare = new pg.Client({ connectionString: url.toString() });
  const second = new pg.Client({ connectionString: url.toString() });
  const db = createDatabase(url.toString(), 2);
  try {
    await migrateDatabase(url.toString());
    await bare.connect();
    const organisationId = randomUUID();
    const personId = randomUUID();
    await bare.query(`INSERT INTO "Organisation" (id, name) VALUES ($1, 'Gemeente Bench')`, [organisationId]);
    await bare.query(`INSERT INTO "Person" (id, "organisationId", "displayName") VALUES ($1, $2, 'Bench')`, [
      personId,
      organisationId,
    ]);
    const projectIds = Array.from({ length: PROJECTS }, () => randomUUID());
    await bare.query(
      `INSERT INTO "Project" (id, "organisationId", name, phase, cadence, mission)
       SELECT id, $2, 'Project ' || n, (ARRAY['explore','pilot','implement','scale'])[1 + n % 4], '{}', ''
       FROM unnest($1::text[]) WITH ORDINALITY AS t(id, n)`,
      [projectIds, organisationId],
    );
    await bare.query(`INSERT INTO "Membership" (id, "projectId", "personId", role) VALUES ($1, $2, $3, 'member')`, [
      randomUUID(),
      projectIds[0],
      personId,
    ]);
    // Multi-row inserts through unnest, one statement per batch, over two connections: the
    // database computes each lesson's search vector and related-lesson bound as it inserts.
    const batches: {
      id: string;
      projectId: string;
      phase: string;
      text: string;
      recommendation: string | null;
      themes: string;
      visibility: string;
      useful: number;
    }[][] = [];
    for (let offset = 0; offset < LESSONS; offset += BATCH) {
      const size = Math.min(BATCH, LESSONS - offset);
      batches.push(
        Array.from({ length: size }, (_, index) => {
          const english = (offset + index) % 2 === 1;
          const words = english ? EN : NL;
          return {
            id: randomUUID(),
            projectId: pick(projectIds),
            phase: pick(PHASES),
            text: sentence(words),
            recommendation: random() < 0.5 ? sentence(words) : null,
            themes: `{${pick(THEMES)},${pick(THEMES)}}`,
            visibility: pick(VISIBILITY),
            useful: Math.floor(random() * 4),
          };
        }),
      );
    }
    const insertBatches = async (client: pg.Client) => {
      for (let rows = batches.shift(); rows; rows = batches.shift()) {
        await client.query(
          `INSERT INTO "Lesson" (id, "organisationId", "projectId", phase, text, recommendation, themes, disciplines,
             "appliedIn", source, status, visibility, "usefulCount")
           SELECT id, $1, pid, phase, text, rec, themes::text[], '{}', '{}', 'manual', 'confirmed', vis, useful
           FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::int[])
             AS t(id, pid, phase, text, rec, themes, vis, useful)`,
          [
            organisationId,
            rows.map((row) => row.id),
            rows.map((row) => row.projectId),
            rows.map((row) => row.phase),
            rows.map((row) => row.text),
            rows.map((row) => row.recommendation),
            rows.map((row) => row.themes),
            rows.map((row) => row.visibility),
            rows.map((row) => row.useful),
          ],
        );
      }
    };
    await second.connect();
    await Promise.all([insertBatches(bare), insertBatches(second)]);
    await second.end();
    await bare.query(`VACUUM ANALYZE "Lesson"`);
    const loaded = Date.now();

    const stores = createStores(db);
    const prompts = createPromptCatalog(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../prompts"));
    // The chat reply carries a signed link to the lessons page: a secret and a public URL.
    const deps = {
      stores,
      prompts,
      logger: silentLogger,
      clock: systemClock,
      secret: "bench-secret",
      publicUrl: "http://127.0.0.1",
    } as unknown as Deps;
    const person = {
      id: personId,
      organisationId,
      displayName: "Bench",
      locale: "nl" as const,
      timezone: null,
      roles: ["member" as const],
      directs: [],
    };
    const viewer = { organisationId, personId };
    const bareSearch = (query: string) =>
      bare.query(
        `WITH q AS (SELECT websearch_to_tsquery('dutch', $1) AS nl, websearch_to_tsquery('english', $1) AS en)
         SELECT l.id, l.text FROM "Lesson" l, q WHERE l.search @@ q.nl OR l.search @@ q.en
         ORDER BY greatest(ts_rank(l.search, q.nl), ts_rank(l.search, q.en)) DESC LIMIT 5`,
        [query],
      );

    // Warm up caches and connections.
    for (const query of QUERIES) {
      await bareSearch(query);
      await stores.library.search({ viewer, query, filters: NO_FILTERS, limit: 5 });
    }
    const chat: number[] = [];
    const leerlus: number[] = [];
    const sql: number[] = [];
    const related: number[] = [];
    for (let index = 0; index < SAMPLES; index++) {
      const query = QUERIES[index % QUERIES.length] as string;
      sql.push(await time(() => bareSearch(query)));
      leerlus.push(await time(() => stores.library.search({ viewer, query, filters: NO_FILTERS, limit: 5 })));
      const where = { platform: "web" as const, conversationRef: `web:dm:${person.id}` };
      chat.push(await time(() => searchLessonsMessage(deps, person, query, where)));
      related.push(await time(() => stores.library.related([pick(projectIds)], 3)));
    }
    const finished = Date.now();
    const ratio = percentile(leerlus, 50) / percentile(sql, 50);
    const ratio95 = percentile(leerlus, 95) / percentile(sql, 95);
    console.log(`lessons bench: ${LESSONS} lessons, ${PROJECTS} projects, ${SAMPLES} samples each`);
    console.log(
      `  load: ${((loaded - started) / 1000).toFixed(1)} s; measure: ${((finished - loaded) / 1000).toFixed(1)} s`,
    );
    console.log(`  chat search (lessons <words>)  p50 ${ms(percentile(chat, 50))}  p95 ${ms(percentile(chat, 95))}`);
    console.log(
      `  related lessons (3)            p50 ${ms(percentile(related, 50))}  p95 ${ms(percentile(related, 95))}`,
    );
    console.log(
      `  library search (store)         p50 ${ms(percentile(leerlus, 50))}  p95 ${ms(percentile(leerlus, 95))}`,
    );
    console.log(`  bare SQL full-text query       p50 ${ms(percentile(sql, 50))}  p95 ${ms(percentile(sql, 95))}`);
    console.log(
      `  ratio Leerlus search / bare SQL: p50 ${ratio.toFixed(2)}, p95 ${ratio95.toFixed(2)} (target <= 1.5) ${ratio <= 1.5 ? "OK" : "OVER"}`,
    );
  } finally {
    await bare.end().catch(() => undefined);
    await second.end().catch(() => undefined);
    await db.destroy();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

await main();
