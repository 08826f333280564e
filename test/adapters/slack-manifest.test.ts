import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { SLACK_BOT_SCOPES } from "../../adapters/slack/create-slack-adapter.ts";
import { slackManifest } from "../../adapters/slack/slack-manifest.ts";
import { slackManifestProblems } from "../support/manifest-schemas.ts";
import { runCliInProcess } from "../support/run-cli.ts";

const committed = parse(readFileSync("adapters/slack/manifest.yml", "utf8"));

describe("the Slack app manifest", () => {
  it("as committed, passes Slack's manifest schema", () => {
    expect(slackManifestProblems(committed)).toEqual([]);
  });

  it("with this installation's https address passes the schema and points every URL there", () => {
    const manifest = slackManifest({ publicUrl: "https://leerlus.gemeente.nl/", socketMode: false });
    expect(slackManifestProblems(manifest)).toEqual([]);
    expect(manifest.settings.event_subscriptions.request_url).toBe("https://leerlus.gemeente.nl/slack/events");
    expect(manifest.settings.interactivity.request_url).toBe("https://leerlus.gemeente.nl/slack/events");
    expect(manifest.features.slash_commands[0]?.url).toBe("https://leerlus.gemeente.nl/slack/events");
    expect(manifest.oauth_config.redirect_urls).toEqual(["https://leerlus.gemeente.nl/slack/oauth_redirect"]);
    expect(JSON.stringify(manifest)).not.toContain("example.org");
  });

  it("for Socket Mode passes the schema without any public address, even with an http PUBLIC_URL", () => {
    const manifest = slackManifest({ publicUrl: "http://localhost:3000", socketMode: true });
    expect(slackManifestProblems(manifest)).toEqual([]);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(JSON.stringify(manifest)).not.toMatch(/https?:\/\//);
  });

  it("refuses an http PUBLIC_URL without Socket Mode, and the schema catches a half-made Socket Mode edit", () => {
    expect(() => slackManifest({ publicUrl: "http://leerlus.gemeente.nl", socketMode: false })).toThrow(
      /SLACK_PUBLIC_URL_NOT_HTTPS.*SLACK_APP_TOKEN/,
    );
    const halfway = slackManifest({ publicUrl: "http://localhost:3000", socketMode: true });
    halfway.settings.socket_mode_enabled = false;
    expect(slackManifestProblems(halfway)).toContain(
      "/settings/interactivity must have required property 'request_url'",
    );
  });

  it("asks for exactly the scopes the adapter requests on install", () => {
    expect([...committed.oauth_config.scopes.bot].sort()).toEqual([...SLACK_BOT_SCOPES].sort());
  });

  it("asks for the email (linking imported people), joining public channels, and no scope the code does not use", () => {
    const scopes: string[] = committed.oauth_config.scopes.bot;
    expect(scopes).toEqual(expect.arrayContaining(["users:read", "users:read.email", "channels:join"]));
    // Leerlus posts to a person's user id or opens the DM with im:write; it never lists DMs.
    expect(scopes).not.toContain("im:read");
  });

  it("is printed by `leerlus slack manifest` for the configured mode", async () => {
    const run = async (env: Record<string, string>, flags: string[] = []) => {
      const result = await runCliInProcess(["slack", "manifest", ...flags], env);
      expect(result.code, result.stderr).toBe(0);
      return parse(result.stdout);
    };
    const https = await run({ PUBLIC_URL: "https://leerlus.gemeente.nl" });
    expect(slackManifestProblems(https)).toEqual([]);
    expect(https.settings.event_subscriptions.request_url).toBe("https://leerlus.gemeente.nl/slack/events");
    const socket = await run({ PUBLIC_URL: "http://localhost:3000" }, ["--socket-mode"]);
    expect(socket.settings.socket_mode_enabled).toBe(true);
    expect(slackManifestProblems(socket)).toEqual([]);
  });
});
