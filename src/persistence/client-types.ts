import type { Prisma } from "./generated/client.ts";
import type { Db } from "./prisma-client.ts";

/** A Prisma client or an interactive transaction: repositories work on either. */
export type DbClient = Db | Prisma.TransactionClient;
