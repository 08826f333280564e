import { describe, expect, it } from "vitest";
import { channelMessage, toChannelLanguage } from "../../src/domain/channel-language.ts";
import { parseCommand } from "../../src/domain/command.ts";
import type { Locale } from "../../src/domain/locale.ts";
import type { Message } from "../../src/domain/message.ts";

const build = (locale: Locale): Message => ({
  fallback: locale === "nl" ? "Retro begonnen" : "Retro started",
  blocks: [
    { type: "paragraph", text: [locale === "nl" ? "Retro begonnen" : "Retro started"] },
    {
      type: "actions",
      buttons: [{ actionId: "action.done", label: locale === "nl" ? "Gedaan" : "Done", value: "a1" }],
    },
  ],
});
const sectionLabel = (locale: Locale) => (locale === "nl" ? "In het Nederlands" : "In English");

describe("the team channel's language", () => {
  it("reads project language commands in both languages", () => {
    expect(parseCommand("project language en")).toEqual({ name: "project-language", language: "en" });
    expect(parseCommand("projecttaal beide")).toEqual({ name: "project-language", language: "both" });
    expect(parseCommand("Projecttaal NL")).toEqual({ name: "project-language", language: "nl" });
    expect(parseCommand("projecttaal")).toEqual({ name: "project-language", language: null });
    expect(parseCommand("projecttaal frans")).toEqual({ name: "project-language", language: "invalid" });
  });

  it("falls back to the organisation's language for a project that never chose", () => {
    expect(toChannelLanguage(null, "en")).toBe("en");
    expect(toChannelLanguage("both", "nl")).toBe("both");
    expect(toChannelLanguage("fr", "nl")).toBe("nl");
  });

  it("writes one language, or both as two labelled sections in one message", () => {
    const english = channelMessage({ language: "en", first: "nl", perReader: false, build, sectionLabel });
    expect(english).toEqual(build("en"));
    const both = channelMessage({ language: "both", first: "nl", perReader: false, build, sectionLabel });
    expect(both.fallback).toBe("Retro begonnen / Retro started");
    expect(both.blocks).toEqual([
      { type: "context", text: ["In het Nederlands"] },
      ...build("nl").blocks,
      { type: "context", text: ["In English"] },
      ...build("en").blocks,
    ]);
    expect(both.byLocale).toBeUndefined();
  });

  it("carries every language where each reader sees their own", () => {
    const web = channelMessage({ language: "both", first: "nl", perReader: true, build, sectionLabel });
    expect(web.byLocale).toEqual({ nl: build("nl"), en: build("en") });
    expect(web.blocks).toEqual(build("nl").blocks);
  });

  it("builds each language once, however many places of a web message show it", () => {
    for (const language of ["nl", "both"] as const) {
      const calls: Locale[] = [];
      const counted = (locale: Locale) => {
        calls.push(locale);
        return build(locale);
      };
      const message = channelMessage({ language, first: "nl", perReader: true, build: counted, sectionLabel });
      expect(message.byLocale).toEqual({ nl: build("nl"), en: build("en") });
      expect(calls.sort()).toEqual(["en", "nl"]);
    }
  });
});
