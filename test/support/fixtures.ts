// Fixture rows through Kysely, for tests: one row in, the whole row (defaults filled) back.
import type { Insertable, Selectable, Updateable } from "kysely";
import type { Db } from "../../src/persistence/database.ts";
import type { DB } from "../../src/persistence/database-types.ts";

export async function insertRow<Table extends keyof DB>(
  db: Db,
  table: Table,
  values: Insertable<DB[Table]>,
): Promise<Selectable<DB[Table]>> {
  const row = await db
    .insertInto(table)
    .values(values as never)
    .returningAll()
    .executeTakeFirstOrThrow();
  return row as Selectable<DB[Table]>;
}

/** Rows of a table matching every given column, all columns. */
export function rowsWhere<Table extends keyof DB>(
  db: Db,
  table: Table,
  where: Partial<Selectable<DB[Table]>> = {},
): Promise<Selectable<DB[Table]>[]> {
  let query = db.selectFrom(table as never).selectAll();
  for (const [column, value] of Object.entries(where))
    query =
      value === null ? query.where(column as never, "is", null) : query.where(column as never, "=", value as never);
  return query.execute() as Promise<Selectable<DB[Table]>[]>;
}

/** How many rows of a table match every given column. */
export async function countWhere<Table extends keyof DB>(
  db: Db,
  table: Table,
  where: Partial<Selectable<DB[Table]>> = {},
): Promise<number> {
  let query = db.selectFrom(table as never).select((eb) => eb.fn.countAll<number>().as("count"));
  for (const [column, value] of Object.entries(where))
    query =
      value === null ? query.where(column as never, "is", null) : query.where(column as never, "=", value as never);
  const row = (await query.executeTakeFirstOrThrow()) as { count: number | string };
  return Number(row.count);
}

/** The one row of a table matching every given column; throws when there is none. */
export async function oneWhere<Table extends keyof DB>(
  db: Db,
  table: Table,
  where: Partial<Selectable<DB[Table]>>,
): Promise<Selectable<DB[Table]>> {
  const [row] = await rowsWhere(db, table, where);
  if (!row) throw new Error(`no ${String(table)} row matches ${JSON.stringify(where)}`);
  return row;
}

/** The first row of a table matching every given column, or null. */
export async function firstWhere<Table extends keyof DB>(
  db: Db,
  table: Table,
  where: Partial<Selectable<DB[Table]>>,
): Promise<Selectable<DB[Table]> | null> {
  const [row] = await rowsWhere(db, table, where);
  return row ?? null;
}

/** Sets columns on the rows of a table matching every given column; how many it changed. */
export async function updateWhere<Table extends keyof DB>(
  db: Db,
  table: Table,
  where: Partial<Selectable<DB[Table]>>,
  set: Updateable<DB[Table]>,
): Promise<number> {
  let query = db.updateTable(table as never).set(set as never);
  for (const [column, value] of Object.entries(where))
    query =
      value === null ? query.where(column as never, "is", null) : query.where(column as never, "=", value as never);
  return Number((await query.executeTakeFirst()).numUpdatedRows);
}

/** Deletes the rows of a table matching every given column; how many it deleted. */
export async function deleteWhere<Table extends keyof DB>(
  db: Db,
  table: Table,
  where: Partial<Selectable<DB[Table]>>,
): Promise<number> {
  let query = db.deleteFrom(table as never);
  for (const [column, value] of Object.entries(where))
    query =
      value === null ? query.where(column as never, "is", null) : query.where(column as never, "=", value as never);
  return Number((await query.executeTakeFirst()).numDeletedRows);
}
