// Prisma is kept for the schema (prisma/schema.prisma) and the client generated from it that
// test fixtures use; the application migrates with src/persistence/migrate.ts and queries
// with Kysely. The CLI's schema engine runs as WebAssembly through the pg driver adapter, as
// Prisma documents for offline use (see ../shared/PLATFORM.md); `prisma generate` never
// connects.
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  async adapter() {
    const connectionString = process.env.DATABASE_URL;
    if (!connectionString) throw new Error("DATABASE_URL is not set: point it at PostgreSQL.");
    return new PrismaPg({ connectionString });
  },
});
