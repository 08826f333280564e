// Prisma 6.19 CLI configuration that works offline: the schema engine runs as
// WebAssembly through the pg driver adapter (see ../shared/PLATFORM.md).
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { defineConfig } from "prisma/config";

const CATALOG_TYPE_IDS = new Set([18, 19]); // "char" and name: the adapter rejects them
const TEXT_TYPE_ID = 25;

type PoolFields = { host: string; port: number; user: string; password: string; database: string };

function poolFields(url: string): PoolFields {
  const parsed = new URL(url);
  return {
    host: decodeURIComponent(parsed.hostname),
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username || "postgres"),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.slice(1) || "postgres"),
  };
}

type QueryResult = { fields?: { dataTypeID: number }[] };
type Queryable = { performIO: (query: unknown) => Promise<QueryResult> };

// The schema engine reads catalog columns of type name and "char"; present them as text.
function patchCatalogTypes(adapter: object): void {
  let proto = Object.getPrototypeOf(adapter);
  while (proto && !Object.hasOwn(proto, "performIO")) proto = Object.getPrototypeOf(proto);
  if (!proto || proto.__leerlusPatched) return;
  const original = proto.performIO as Queryable["performIO"];
  proto.performIO = async function (this: Queryable, query: unknown) {
    const result = await original.call(this, query);
    // A multi-statement script yields an array of results, without fields.
    for (const part of Array.isArray(result) ? result : [result]) {
      for (const field of part.fields ?? []) {
        if (CATALOG_TYPE_IDS.has(field.dataTypeID)) field.dataTypeID = TEXT_TYPE_ID;
      }
    }
    return result;
  };
  proto.__leerlusPatched = true;
}

function adapterFactory(fields: PoolFields) {
  // The CLI never closes its pool: let the process exit as soon as the pool is idle.
  const factory = new PrismaPg({
    ...fields,
    max: process.env.LEERLUS_EMBEDDED ? 1 : 4,
    allowExitOnIdle: true,
    idleTimeoutMillis: 50,
  });
  return {
    provider: factory.provider as "postgres",
    adapterName: factory.adapterName,
    async connect() {
      const adapter = await factory.connect();
      patchCatalogTypes(adapter);
      return adapter;
    },
    // An empty scratch database, dropped WITH (FORCE) once its own pool is closed.
    async connectToShadowDb() {
      const database = `prisma_shadow_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
      const admin = new pg.Client(fields);
      await admin.connect();
      // The CLI may exit before disposing the shadow database: clear what earlier runs left.
      const stale = await admin.query("SELECT datname FROM pg_database WHERE datname LIKE 'prisma_shadow_%'");
      for (const row of stale.rows) await admin.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
      await admin.query(`CREATE DATABASE "${database}"`);
      await admin.end();
      const shadow = await new PrismaPg({
        ...fields,
        database,
        max: 1,
        allowExitOnIdle: true,
        idleTimeoutMillis: 50,
      }).connect();
      patchCatalogTypes(shadow);
      const dispose = shadow.dispose.bind(shadow);
      shadow.dispose = async () => {
        await dispose();
        const dropper = new pg.Client(fields);
        await dropper.connect();
        await dropper.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
        await dropper.end();
      };
      return shadow;
    },
  };
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  async adapter() {
    const url = process.env.DATABASE_URL;
    if (!url)
      throw new Error(
        "DATABASE_URL is not set: point it at PostgreSQL, or run `leerlus migrate`, which sets it for the embedded database.",
      );
    return adapterFactory(poolFields(url));
  },
});
