// What Slack knows of a person (name, email, language, timezone), from users.info. Cached: the
// profile only matters when Leerlus meets someone and for the adapter's own copy, and
// users.info is a Tier 4 method we should not call on every click.
import type { webApi } from "@slack/bolt";
import { type Locale, toLocale } from "../../src/domain/locale.ts";

export type SlackProfile = { displayName?: string; locale?: string; timezone?: string; email?: string };

const TTL_MS = 60 * 60 * 1000;
const MAX_ENTRIES = 10_000;

export function createProfileCache(defaultLocale: Locale = "nl") {
  const entries = new Map<string, { profile: SlackProfile; expires: number }>();

  async function profile(client: webApi.WebClient, teamId: string, userId: string): Promise<SlackProfile> {
    const key = `${teamId}:${userId}`;
    const hit = entries.get(key);
    if (hit && hit.expires > Date.now()) return hit.profile;
    let found: SlackProfile = {};
    try {
      const result = await client.users.info({ user: userId, include_locale: true });
      const user = result.user;
      found = {
        ...(user?.profile?.display_name || user?.real_name
          ? { displayName: user?.profile?.display_name || user?.real_name }
          : {}),
        ...(user?.locale ? { locale: user.locale } : {}),
        ...(user?.tz ? { timezone: user.tz } : {}),
        // With users:read.email: links the person to the one a project import made with that email.
        ...(user?.profile?.email ? { email: user.profile.email } : {}),
      };
    } catch {
      // Without a profile Leerlus still works: the person gets the organisation's defaults.
      return found;
    }
    if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
    entries.set(key, { profile: found, expires: Date.now() + TTL_MS });
    return found;
  }

  return {
    profile,
    async locale(client: webApi.WebClient, teamId: string, userId: string | undefined): Promise<Locale> {
      if (!userId) return defaultLocale;
      const found = await profile(client, teamId, userId);
      return toLocale(found.locale?.slice(0, 2), defaultLocale);
    },
  };
}

export type ProfileCache = ReturnType<typeof createProfileCache>;
