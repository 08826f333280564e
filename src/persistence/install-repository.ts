import type { Platform } from "../domain/inbound-event.ts";
import type { InstallStore } from "../ports/install-store.ts";
import type { DbClient } from "./client-types.ts";
import type { TokenCipher } from "./token-cipher.ts";

/**
 * Installation secrets in `Install.data` as `{ sealed: "<AES-256-GCM of the JSON>" }`:
 * the whole installation is encrypted, so no token ever lands in the database in clear.
 */
export function createInstallRepository(db: DbClient, cipher: TokenCipher): InstallStore {
  const where = (platform: Platform, tenantId: string) => ({ platform_tenantId: { platform, tenantId } });
  return {
    async isRegistered(platform, tenantId) {
      return (await db.install.findUnique({ where: where(platform, tenantId), select: { id: true } })) !== null;
    },

    async find(platform, tenantId) {
      const row = await db.install.findUnique({ where: where(platform, tenantId), select: { data: true } });
      const sealed = (row?.data as { sealed?: unknown } | null)?.sealed;
      if (typeof sealed !== "string") return null;
      return JSON.parse(cipher.decrypt(sealed)) as Record<string, unknown>;
    },

    async save(platform, tenantId, secrets) {
      const sealed = cipher.encrypt(JSON.stringify(secrets));
      const updated = await db.install.updateMany({ where: { platform, tenantId }, data: { data: { sealed } } });
      return updated.count > 0;
    },

    async remove(platform, tenantId) {
      await db.install.updateMany({ where: { platform, tenantId }, data: { data: {} } });
    },
  };
}
