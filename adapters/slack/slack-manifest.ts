// `leerlus slack manifest`: the committed manifest.yml with this installation's addresses filled
// in, or its Socket Mode variant (no public address at all), ready to paste into "Create New
// App → From an app manifest".
import { readFileSync } from "node:fs";
import { parse, stringify } from "yaml";

const TEMPLATE = new URL("./manifest.yml", import.meta.url);
const PLACEHOLDER = "https://leerlus.example.org";

export type SlackManifest = Record<string, unknown> & {
  features: { slash_commands: { url?: string }[] };
  oauth_config: { redirect_urls?: string[] };
  settings: {
    event_subscriptions: { request_url?: string };
    interactivity: { request_url?: string };
    socket_mode_enabled: boolean;
  };
};

export type SlackManifestInput = { publicUrl: string; socketMode: boolean };

/**
 * The manifest for `publicUrl`, or for Socket Mode. Slack only posts events to https, so an
 * http PUBLIC_URL without Socket Mode is refused rather than written into the manifest.
 */
export function slackManifest(input: SlackManifestInput): SlackManifest {
  const manifest = parse(readFileSync(TEMPLATE, "utf8")) as SlackManifest;
  const { settings } = manifest;
  if (input.socketMode) {
    settings.socket_mode_enabled = true;
    delete settings.event_subscriptions.request_url;
    delete settings.interactivity.request_url;
    for (const command of manifest.features.slash_commands) delete command.url;
    // Installed from the app's own page: no OAuth redirect to a public address.
    delete manifest.oauth_config.redirect_urls;
    return manifest;
  }
  const url = new URL(input.publicUrl);
  if (url.protocol !== "https:") {
    throw new Error(
      `SLACK_PUBLIC_URL_NOT_HTTPS: PUBLIC_URL is ${url.origin}, but Slack only sends events to https addresses. Set PUBLIC_URL to the https address of Leerlus, or set SLACK_APP_TOKEN for Socket Mode.`,
    );
  }
  return JSON.parse(JSON.stringify(manifest).replaceAll(PLACEHOLDER, url.origin)) as SlackManifest;
}

export function slackManifestYaml(input: SlackManifestInput): string {
  return stringify(slackManifest(input), { lineWidth: 0 });
}
