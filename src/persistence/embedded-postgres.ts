// The zero-setup database: PGlite (Postgres compiled to WebAssembly) stored in a
// folder and served on a local TCP port, so the pg pool and the migration runner talk to
// it like to any PostgreSQL (see shared/PLATFORM.md).
import { mkdir, open, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export type EmbeddedPostgres = {
  /** `postgresql://postgres@127.0.0.1:<port>/postgres`; serves one client connection at a time. */
  url: string;
  stop(): Promise<void>;
};

export class EmbeddedPostgresError extends Error {
  readonly code: "EMBEDDED_DB_LOCKED" | "EMBEDDED_DB_START_FAILED";
  constructor(code: EmbeddedPostgresError["code"], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "EmbeddedPostgresError";
    this.code = code;
  }
}

const LOCK_FILE = "db.lock";

/**
 * Starts PGlite on `<dataDir>/db` and serves it on 127.0.0.1 (a free port unless `port` is given).
 * Callers must use a pool of one: `createDatabase(url, 1)`.
 */
export async function startEmbeddedPostgres(options: { dataDir: string; port?: number }): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, LOCK_FILE);
  await acquireLock(lockPath);

  let db: PGlite | undefined;
  let server: PGLiteSocketServer | undefined;
  try {
    db = await PGlite.create(path.join(dataDir, "db"));
    // PGlite has a single session, so callers use a pool of one. The second slot only
    // absorbs the moment that pool opens a new connection while the server is still
    // closing the old one: with a limit of 1, about one reconnect in four was refused.
    server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: options.port ?? 0, maxConnections: 2 });
    await server.start();
  } catch (error) {
    await server?.stop().catch(() => {});
    await db?.close().catch(() => {});
    await rm(lockPath, { force: true });
    throw new EmbeddedPostgresError(
      "EMBEDDED_DB_START_FAILED",
      `Could not start the embedded database in ${dataDir}: ${error instanceof Error ? error.message : String(error)}. ` +
        "Set DATABASE_URL to use a PostgreSQL server instead.",
      { cause: error },
    );
  }

  const port = Number(server.getServerConn().split(":").pop());
  const runningServer = server;
  const runningDb = db;
  let stopping: Promise<void> | undefined;
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      stopping ??= (async () => {
        try {
          await runningServer.stop();
          // close() checkpoints and flushes the data folder; skipping it loses recent writes.
          await runningDb.close();
        } finally {
          await rm(lockPath, { force: true });
        }
      })();
      return stopping;
    },
  };
}

// PGlite does not guard its folder: two processes writing the same files corrupt it.
async function acquireLock(lockPath: string): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockPath, "wx");
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = Number.parseInt((await readFile(lockPath, "utf8").catch(() => "")).trim(), 10);
    if (Number.isInteger(holder) && holder > 0 && isRunning(holder)) {
      throw new EmbeddedPostgresError(
        "EMBEDDED_DB_LOCKED",
        `The embedded database in ${path.dirname(lockPath)} is in use by process ${holder}. ` +
          "Stop that process first, run the other commands against a shared PostgreSQL by setting DATABASE_URL, " +
          `or, if no such process exists, delete ${lockPath}.`,
      );
    }
    // The previous holder died without cleaning up: the lock is stale.
    await rm(lockPath, { force: true });
  }
  throw new EmbeddedPostgresError(
    "EMBEDDED_DB_LOCKED",
    `Could not take the lock ${lockPath}: another process keeps creating it.`,
  );
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
