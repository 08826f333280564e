import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { strFromU8, unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { buildManifest, buildTeamsPackage, MENU_COMMANDS } from "../../adapters/teams/teams-package.ts";
import { teamsLocalizationProblems, teamsManifestProblems } from "../support/manifest-schemas.ts";
import { runCliInProcess } from "../support/run-cli.ts";
import { prompts } from "../support/test-core.ts";

const APP = "3f2c8a51-7d0e-4b8e-9a61-2c5d7e9f0a14";
const text = (locale: "nl" | "en", key: string) => prompts.t(locale, key);

function pngSize(bytes: Uint8Array): [number, number] {
  const view = Buffer.from(bytes);
  expect(view.subarray(1, 4).toString("ascii")).toBe("PNG");
  return [view.readUInt32BE(16), view.readUInt32BE(20)];
}

describe("the Teams app package", () => {
  it("holds a manifest on the current schema, its English localisation and both icons", () => {
    const files = unzipSync(buildTeamsPackage({ appId: APP, publicUrl: "https://leerlus.gemeente.nl", text }));
    expect(Object.keys(files).sort()).toEqual(["color.png", "en.json", "manifest.json", "outline.png"]);
    const manifest = JSON.parse(strFromU8(files["manifest.json"] as Uint8Array));
    expect(manifest.manifestVersion).toBe("1.22");
    expect(manifest.$schema).toContain("/v1.22/");
    expect(manifest.id).toBe(APP);
    expect(manifest.bots[0].botId).toBe(APP);
    expect(manifest.bots[0].scopes).toEqual(["personal", "team", "groupChat"]);
    expect(manifest.validDomains).toEqual(["leerlus.gemeente.nl"]);
    expect(manifest.developer.privacyUrl).toBe("https://leerlus.gemeente.nl/privacy");
    // Teams' limits on names, descriptions and the command menu.
    expect(manifest.name.short.length).toBeLessThanOrEqual(30);
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);
    const commands = manifest.bots[0].commandLists[0].commands as { title: string; description: string }[];
    expect(commands.map((command) => command.title)).toEqual(
      MENU_COMMANDS.map((key) => prompts.t("nl", `teams.commands.${key}.title`)),
    );
    expect(commands.length).toBeLessThanOrEqual(10);
    for (const command of commands) {
      expect(command.title.length).toBeLessThanOrEqual(32);
      expect(command.description.length).toBeLessThanOrEqual(128);
    }
    const english = JSON.parse(strFromU8(files["en.json"] as Uint8Array));
    expect(english["bots[0].commandLists[0].commands[1].title"]).toBe("retro now");
    expect(pngSize(files["color.png"] as Uint8Array)).toEqual([192, 192]);
    expect(pngSize(files["outline.png"] as Uint8Array)).toEqual([32, 32]);
  });

  it("passes Microsoft's official manifest and localisation schemas (@microsoft/app-manifest)", async () => {
    for (const publicUrl of ["https://leerlus.gemeente.nl", "https://leerlus.gemeente.nl:8443/"]) {
      const { manifest, english } = buildManifest({ appId: APP, publicUrl, text });
      expect(await teamsManifestProblems(manifest)).toEqual([]);
      expect(teamsLocalizationProblems(english)).toEqual([]);
    }
    // The judges do judge: a broken manifest and localisation fail.
    const { manifest, english } = buildManifest({ appId: APP, publicUrl: "https://a.nl", text });
    expect(await teamsManifestProblems({ ...manifest, accentColor: "green", bogus: true })).not.toEqual([]);
    expect(teamsLocalizationProblems({ ...english, "name.short": "x".repeat(31) })).not.toEqual([]);
  });

  it("links its own https /privacy and /terms, never the placeholder", () => {
    const { manifest } = buildManifest({ appId: APP, publicUrl: "https://leerlus.gemeente.nl:8443/", text });
    expect(manifest.developer).toEqual({
      name: "Leerlus",
      websiteUrl: "https://leerlus.gemeente.nl:8443",
      privacyUrl: "https://leerlus.gemeente.nl:8443/privacy",
      termsOfUseUrl: "https://leerlus.gemeente.nl:8443/terms",
    });
    expect(manifest.validDomains).toEqual(["leerlus.gemeente.nl:8443"]);
    expect(JSON.stringify(manifest)).not.toContain("example.org");
  });

  it("refuses an http PUBLIC_URL with a clear error instead of linking leerlus.example.org", () => {
    for (const publicUrl of ["http://localhost:3000", "http://leerlus.gemeente.nl"]) {
      expect(() => buildTeamsPackage({ appId: APP, publicUrl, text })).toThrow(/TEAMS_PUBLIC_URL_NOT_HTTPS.*https/);
    }
    expect(() => buildTeamsPackage({ appId: APP, publicUrl: "leerlus", text })).toThrow(/TEAMS_PUBLIC_URL_INVALID/);
  });

  it("refuses an app id that is not a GUID", () => {
    expect(() => buildTeamsPackage({ appId: "my-bot", publicUrl: "https://x.nl", text })).toThrow(/GUID/);
  });

  it("is written by `leerlus teams package`", async () => {
    const folder = mkdtempSync(path.join(tmpdir(), "leerlus-teams-"));
    try {
      const file = path.join(folder, "app.zip");
      const env = { MICROSOFT_APP_ID: APP, MICROSOFT_APP_PASSWORD: "secret", PUBLIC_URL: "https://a.nl" };
      const written = await runCliInProcess(["teams", "package", file], env);
      expect(written.code, written.stderr).toBe(0);
      expect(written.stdout).toContain(file);
      const manifest = JSON.parse(strFromU8(unzipSync(readFileSync(file))["manifest.json"] as Uint8Array));
      expect(manifest.id).toBe(APP);

      // An http PUBLIC_URL: no package, and the reason on stderr.
      const other = path.join(folder, "http.zip");
      const refused = await runCliInProcess(["teams", "package", other], { ...env, PUBLIC_URL: "http://a.nl" });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain("TEAMS_PUBLIC_URL_NOT_HTTPS");
      expect(() => readFileSync(other)).toThrow();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
