import type { Platform } from "../domain/inbound-event.ts";

/**
 * A platform's installation secrets per tenant (e.g. a Slack workspace's bot token), kept
 * next to the tenant's organisation link. Implementations encrypt the secrets at rest.
 */
export type InstallStore = {
  /** Whether the tenant is linked to an organisation (it may have no stored secrets). */
  isRegistered(platform: Platform, tenantId: string): Promise<boolean>;
  /** The decrypted secrets, or null when none are stored (never installed through OAuth, or removed). */
  find(platform: Platform, tenantId: string): Promise<Record<string, unknown> | null>;
  /** Stores secrets for a tenant already linked to an organisation; false when it is not. */
  save(platform: Platform, tenantId: string, secrets: Record<string, unknown>): Promise<boolean>;
  /**
   * Forgets the secrets (uninstalled, tokens revoked). The organisation link stays, so a
   * reinstall finds the same organisation and its history.
   */
  remove(platform: Platform, tenantId: string): Promise<void>;
};
