// Prisma's generated client, for test fixtures only: production code and the benches talk to
// PostgreSQL through Kysely (src/persistence/database.ts), and the architecture test keeps
// Prisma's client out of src/ and bench/. Plain PrismaPg adapter, nothing patched.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../../src/persistence/generated/client.ts";

export type FixtureClient = PrismaClient;

export function createFixtureClient(url: string): FixtureClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 2 }) });
}
