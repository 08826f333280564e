import pg from "pg";

/**
 * A tagged template that runs one statement on the pg driver itself, every interpolated
 * value a bound parameter: `sql<Row>\`SELECT … WHERE id = ANY(${ids}::text[])\``.
 *
 * For the statements that move many rows on the fan-out's path (loading a batch of
 * projects, creating its cycles, queueing and claiming outbox messages). Prisma's runtime
 * costs tens of nanoseconds per byte of parameters and results on top of the driver's own
 * work, several milliseconds for one batch; everything else goes through Prisma.
 */
export type DriverSql = <Row = Record<string, unknown>>(
  strings: TemplateStringsArray,
  ...values: readonly unknown[]
) => Promise<Row[]>;

export class DriverSqlError extends Error {
  readonly code: "TRANSACTION_CLOSED";
  constructor(code: "TRANSACTION_CLOSED", message: string) {
    super(message);
    this.name = "DriverSqlError";
    this.code = code;
  }
}

/** A statement, or the work, would run after the unit of work's transaction ended: outside it and its locks. */
export function transactionClosed(): DriverSqlError {
  return new DriverSqlError("TRANSACTION_CLOSED", "the unit of work's transaction has already ended");
}

const TIMESTAMP = 1114;

// Prisma keeps DateTime columns (`timestamp(3)`, no zone) in UTC; pg would read them, and
// write Dates, in the process's local zone. Read them as UTC here, and write Dates as ISO
// strings (PostgreSQL drops the zone when it casts one to a timestamp without zone).
// Other types come back as pg reads them, unlike Prisma: bigint (count(*)) as a string,
// `date` and `timestamp[]` in the local zone. Cast in SQL where that matters.
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === TIMESTAMP && format !== "binary"
      ? (value: string) => new Date(`${value.replace(" ", "T")}Z`)
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig["getTypeParser"],
};

function toParameter(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    const values = value.map(toParameter);
    return arrayLiteral(values) ?? values;
  }
  return value;
}

/**
 * A flat array of strings, numbers and nulls as PostgreSQL's array literal, or undefined to
 * leave it to pg. pg quotes element by element with regular expressions: for a fan-out of
 * 4,000 prompts, about 50 ms of the worker's thread on arrays of ids and keys. JSON.stringify
 * is native, and where its output has no backslash its quoting of strings is the array
 * literal's quoting too.
 */
function arrayLiteral(values: readonly unknown[]): string | undefined {
  if (!values.every(isPlainElement)) return undefined;
  const json = JSON.stringify(values);
  // A quote, a backslash or a control character comes out escaped: those are left to pg.
  return json.includes("\\") ? undefined : `{${json.slice(1, -1)}}`;
}

/** An element JSON.stringify writes as the array literal would, once nothing in it is escaped. */
function isPlainElement(value: unknown): boolean {
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value);
    default:
      return value == null;
  }
}

/**
 * Each statement is prepared once per connection under a name of its own (one per template
 * in the source): PostgreSQL parses and analyses it once instead of on every call, and may
 * reuse its plan. Planning the batch statements took 0.5 to 2 ms a call.
 */
const statements = new WeakMap<TemplateStringsArray, { name: string; text: string }>();
let statementCount = 0;

function statementFor(strings: TemplateStringsArray): { name: string; text: string } {
  let statement = statements.get(strings);
  if (!statement) {
    statement = {
      name: `leerlus_${++statementCount}`,
      text: strings.reduce((sql, part, index) => `${sql}$${index}${part}`),
    };
    statements.set(strings, statement);
  }
  return statement;
}

/**
 * Statements on a pool, or on one connection; `isClosed` says when that connection's
 * transaction has ended, after which a statement would run outside it.
 */
export function createDriverSql(queryable: pg.Pool | pg.ClientBase, isClosed: () => boolean = () => false): DriverSql {
  return async <Row>(strings: TemplateStringsArray, ...values: readonly unknown[]) => {
    if (isClosed()) throw transactionClosed();
    const { name, text } = statementFor(strings);
    const result = await queryable.query<Row & pg.QueryResultRow>({
      name,
      text,
      values: values.map(toParameter),
      types,
    });
    return result.rows as Row[];
  };
}
