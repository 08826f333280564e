import type { InstallStore } from "../ports/install-store.ts";
import { type Db, json } from "./database.ts";
import type { TokenCipher } from "./token-cipher.ts";

/**
 * Installation secrets in `Install.data` as `{ sealed: "<AES-256-GCM of the JSON>" }`:
 * the whole installation is encrypted, so no token ever lands in the database in clear.
 */
export function createInstallRepository(db: Db, cipher: TokenCipher): InstallStore {
  const install = (platform: string, tenantId: string) =>
    db.selectFrom("Install").where("platform", "=", platform).where("tenantId", "=", tenantId);
  const setData = async (platform: string, tenantId: string, data: object) => {
    const result = await db
      .updateTable("Install")
      .set({ data: json(data) })
      .where("platform", "=", platform)
      .where("tenantId", "=", tenantId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  };
  return {
    async isRegistered(platform, tenantId) {
      return (await install(platform, tenantId).select("id").executeTakeFirst()) !== undefined;
    },

    async find(platform, tenantId) {
      const row = await install(platform, tenantId).select("data").executeTakeFirst();
      const sealed = (row?.data as { sealed?: unknown } | null | undefined)?.sealed;
      if (typeof sealed !== "string") return null;
      return JSON.parse(cipher.decrypt(sealed)) as Record<string, unknown>;
    },

    async save(platform, tenantId, secrets) {
      return setData(platform, tenantId, { sealed: cipher.encrypt(JSON.stringify(secrets)) });
    },

    async remove(platform, tenantId) {
      await setData(platform, tenantId, {});
    },
  };
}
