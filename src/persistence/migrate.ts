import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Applies prisma/migrations with `prisma migrate deploy` (the offline, WebAssembly schema engine). */
export async function migrateDatabase(databaseUrl: string, options: { embedded?: boolean } = {}): Promise<string> {
  const prismaCli = createRequire(import.meta.url).resolve("prisma/build/index.js");
  const preload = path.join(projectRoot, "src/persistence/unref-engine-timers.cjs");
  const { stdout } = await run(process.execPath, ["--require", preload, prismaCli, "migrate", "deploy"], {
    cwd: projectRoot,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      LEERLUS_EMBEDDED: options.embedded ? "1" : "",
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
      CHECKPOINT_DISABLE: "1",
    },
    maxBuffer: 10 * 1024 * 1024,
  });
  return stdout;
}
