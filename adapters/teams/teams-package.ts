// `leerlus teams package`: the Teams app package to sideload or upload to the tenant's app
// catalogue. The committed manifest is the template; the app id, addresses, every word (from
// prompts/, Dutch by default with an English localisation) and the icons are filled in here.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { strToU8, zipSync } from "fflate";
import { LeerlusError } from "../../src/domain/leerlus-error.ts";
import type { Locale } from "../../src/domain/locale.ts";
import { colorIcon, outlineIcon } from "./png-icons.ts";

const MANIFEST_TEMPLATE = path.join(path.dirname(fileURLToPath(import.meta.url)), "manifest", "manifest.json");

/** The command menu, in the order Teams shows it; the words people type are in prompts/teams.*.yaml. */
export const MENU_COMMANDS = ["help", "retro-now", "lessons", "actions", "away", "back", "portfolio", "digest"];

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type PackageInput = {
  appId: string;
  /** Where Leerlus is reached over https: its host becomes the valid domain, its /privacy and /terms the app's links. */
  publicUrl: string;
  version?: string;
  text: (locale: Locale, key: string) => string;
};

/**
 * Teams shows the app's privacy statement and terms from these links and reaches the bot only
 * over https, so a package for an http (or unparsable) PUBLIC_URL would point people at pages
 * that are not there: refused, with the fix in the message.
 */
function httpsUrl(publicUrl: string): URL {
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch {
    throw new Error(
      `TEAMS_PUBLIC_URL_INVALID: PUBLIC_URL "${publicUrl}" is not an address. Set it to the https address where Teams reaches Leerlus.`,
    );
  }
  if (url.protocol !== "https:") {
    throw new Error(
      `TEAMS_PUBLIC_URL_NOT_HTTPS: PUBLIC_URL is ${url.origin}, but Teams only reaches bots and privacy and terms pages over https. Set PUBLIC_URL to the https address of Leerlus (for a test, an https tunnel) and package again.`,
    );
  }
  return url;
}

type Manifest = Record<string, unknown> & {
  bots: { botId: string; commandLists: { commands: { title: string; description: string }[] }[] }[];
};

export function buildManifest(input: PackageInput): { manifest: Manifest; english: Record<string, string> } {
  if (!GUID.test(input.appId)) throw new LeerlusError("TEAMS_APP_ID_INVALID", "MICROSOFT_APP_ID must be a GUID.");
  const manifest = JSON.parse(readFileSync(MANIFEST_TEMPLATE, "utf8")) as Manifest;
  const t = (locale: Locale, key: string) => input.text(locale, `teams.${key}`);
  const url = httpsUrl(input.publicUrl);
  manifest.id = input.appId;
  if (input.version) manifest.version = input.version;
  manifest.name = { short: t("nl", "app.short-name"), full: t("nl", "app.full-name") };
  manifest.description = { short: t("nl", "app.short-description"), full: t("nl", "app.full-description") };
  const site = url.origin;
  manifest.developer = {
    name: t("nl", "app.short-name"),
    websiteUrl: site,
    privacyUrl: `${site}/privacy`,
    termsOfUseUrl: `${site}/terms`,
  };
  manifest.validDomains = [url.host];
  const bot = manifest.bots[0];
  if (!bot) throw new LeerlusError("TEAMS_MANIFEST_INVALID", "the template has no bot");
  bot.botId = input.appId;
  const list = bot.commandLists[0];
  if (!list) throw new LeerlusError("TEAMS_MANIFEST_INVALID", "the template has no command list");
  list.commands = MENU_COMMANDS.map((key) => ({
    title: t("nl", `commands.${key}.title`),
    description: t("nl", `commands.${key}.description`),
  }));
  // Teams' localisation file: the same texts in English, by their path in the manifest.
  const english: Record<string, string> = {
    $schema: "https://developer.microsoft.com/json-schemas/teams/v1.22/MicrosoftTeams.Localization.schema.json",
    "name.short": t("en", "app.short-name"),
    "name.full": t("en", "app.full-name"),
    "description.short": t("en", "app.short-description"),
    "description.full": t("en", "app.full-description"),
  };
  MENU_COMMANDS.forEach((key, index) => {
    english[`bots[0].commandLists[0].commands[${index}].title`] = t("en", `commands.${key}.title`);
    english[`bots[0].commandLists[0].commands[${index}].description`] = t("en", `commands.${key}.description`);
  });
  return { manifest, english };
}

/** The zip Teams accepts: manifest.json, the localisation and both icons at the root. */
export function buildTeamsPackage(input: PackageInput): Uint8Array {
  const { manifest, english } = buildManifest(input);
  return zipSync({
    "manifest.json": strToU8(`${JSON.stringify(manifest, null, 2)}\n`),
    "en.json": strToU8(`${JSON.stringify(english, null, 2)}\n`),
    "color.png": new Uint8Array(colorIcon()),
    "outline.png": new Uint8Array(outlineIcon()),
  });
}
