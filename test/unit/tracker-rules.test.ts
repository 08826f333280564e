import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createTrackerHttp, retryAfterMs } from "../../adapters/trackers/tracker-http.ts";
import { parseCommand } from "../../src/domain/command.ts";
import { isJiraCloud, trackerBaseUrl, trackerProject, trackerTitle, trackerUrl } from "../../src/domain/tracker.ts";
import { TrackerError } from "../../src/ports/tracker.ts";

describe("what a lead may configure", () => {
  it("takes https addresses only, canonical, without credentials or a query", () => {
    expect(trackerUrl(" https://gemeente.atlassian.net/ ")).toBe("https://gemeente.atlassian.net");
    expect(trackerUrl("https://dev.azure.com/gemeente//")).toBe("https://dev.azure.com/gemeente");
    expect(trackerUrl("http://jira.gemeente.nl")).toBeNull();
    expect(trackerUrl("http://127.0.0.1:8080/jira", { allowHttp: true })).toBe("http://127.0.0.1:8080/jira");
    expect(trackerUrl("https://user:pw@jira.gemeente.nl")).toBeNull();
    expect(trackerUrl("https://jira.gemeente.nl/?x=1")).toBeNull();
    expect(trackerUrl("javascript:alert(1)")).toBeNull();
    expect(trackerUrl("jira.gemeente.nl")).toBeNull();
  });

  it("finds the API's address in one copied from the browser", () => {
    expect(trackerBaseUrl("jira", "https://gemeente.atlassian.net/jira/software/projects/LL/boards/1")).toBe(
      "https://gemeente.atlassian.net",
    );
    expect(trackerBaseUrl("jira", "https://jira.gemeente.nl/jira")).toBe("https://jira.gemeente.nl/jira");
    expect(trackerBaseUrl("azure-devops", "https://dev.azure.com/gemeente/Slim%20Schoon/_boards/board")).toBe(
      "https://dev.azure.com/gemeente",
    );
    expect(trackerBaseUrl("azure-devops", "https://gemeente.visualstudio.com/Slim%20Schoon")).toBe(
      "https://gemeente.visualstudio.com",
    );
    expect(trackerBaseUrl("azure-devops", "https://tfs.gemeente.nl/tfs/DefaultCollection")).toBe(
      "https://tfs.gemeente.nl/tfs/DefaultCollection",
    );
  });

  it("knows Jira keys and Azure DevOps project names", () => {
    expect(trackerProject("jira", "ll")).toBe("LL");
    expect(trackerProject("jira", "GEM_3")).toBe("GEM_3");
    expect(trackerProject("jira", "3LL")).toBeNull();
    expect(trackerProject("jira", 'LL" OR project = "X')).toBeNull();
    expect(trackerProject("azure-devops", "Slim Schoon")).toBe("Slim Schoon");
    expect(trackerProject("azure-devops", "a/b")).toBeNull();
    expect(trackerProject("azure-devops", "x'y")).toBe("x'y");
    expect(isJiraCloud("https://gemeente.atlassian.net")).toBe(true);
    expect(isJiraCloud("https://jira.gemeente.nl")).toBe(false);
  });

  it("makes one line of at most 255 characters of an action", () => {
    expect(trackerTitle("Bewoners\nuitnodigen   voor de demo")).toBe("Bewoners uitnodigen voor de demo");
    expect(trackerTitle("x".repeat(300))).toHaveLength(255);
  });

  it("reads the tracker commands in English and Dutch; the token is never part of one", () => {
    expect(parseCommand("tracker jira https://g.atlassian.net LL")).toEqual({
      name: "tracker",
      request: { kind: "set", tracker: "jira", url: "https://g.atlassian.net", project: "LL" },
    });
    expect(parseCommand("koppeling azure https://dev.azure.com/g Slim Schoon")).toEqual({
      name: "tracker",
      request: { kind: "set", tracker: "azure-devops", url: "https://dev.azure.com/g", project: "Slim Schoon" },
    });
    expect(parseCommand("koppeling automatisch aan")).toEqual({ name: "tracker", request: { kind: "auto", on: true } });
    expect(parseCommand("tracker auto off")).toEqual({ name: "tracker", request: { kind: "auto", on: false } });
    expect(parseCommand("koppeling uit")).toEqual({ name: "tracker", request: { kind: "off" } });
    expect(parseCommand("tracker")).toEqual({ name: "tracker", request: { kind: "show" } });
    expect(parseCommand("acties 2 doorzetten")).toEqual({ name: "send-action", index: 2 });
    expect(parseCommand("actions 12 send")).toEqual({ name: "send-action", index: 12 });
  });
});

describe("a tracker's answers", () => {
  async function answering(status: number, headers: Record<string, string>, body: string) {
    const server = createServer((_request, response) => {
      response.writeHead(status, headers);
      response.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
    const http = createTrackerHttp({ timeoutMs: 2_000 });
    try {
      return await http({ method: "GET", url, authorization: "Bearer t", schema: z.object({ id: z.string() }) });
    } finally {
      server.close();
    }
  }
  const problem = async (status: number, headers: Record<string, string> = {}, body = "{}") => {
    const error = await answering(status, headers, body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrackerError);
    return error as TrackerError;
  };

  it("maps each refusal to what a person can act on", async () => {
    expect((await problem(401)).problem).toBe("unauthorized");
    // Azure DevOps' sign-in page for a request without a working token.
    expect((await problem(203, { "content-type": "text/html" }, "<html>Sign In</html>")).problem).toBe("unauthorized");
    expect((await problem(302, { location: "https://login.example/" })).problem).toBe("unauthorized");
    expect((await problem(403)).problem).toBe("forbidden");
    expect((await problem(404)).problem).toBe("not-found");
    const rejected = await problem(400, {}, JSON.stringify({ errors: { issuetype: "valid issue type is required" } }));
    expect([rejected.problem, rejected.fields, rejected.retryable]).toEqual(["rejected", ["issuetype"], false]);
    const limited = await problem(429, { "retry-after": "7" });
    expect([limited.problem, limited.retryable, limited.retryAfterMs]).toEqual(["rate-limited", true, 7000]);
    expect((await problem(503)).retryable).toBe(true);
    expect((await problem(200, {}, JSON.stringify({ other: 1 }))).problem).toBe("unexpected");
    expect(await answering(200, {}, JSON.stringify({ id: "1" }))).toEqual({ id: "1" });
  });

  it("counts Retry-After in seconds or as a date, at most ten minutes", () => {
    expect(retryAfterMs("2")).toBe(2000);
    expect(retryAfterMs(new Date(Date.UTC(2026, 0, 1, 0, 0, 30)).toUTCString(), Date.UTC(2026, 0, 1))).toBe(30_000);
    expect(retryAfterMs("86400")).toBe(600_000);
    expect(retryAfterMs(null)).toBeUndefined();
  });

  it("a tracker that does not answer is unavailable, to try again", async () => {
    const http = createTrackerHttp({ timeoutMs: 500 });
    const error = await http({
      method: "GET",
      url: "http://127.0.0.1:1/x",
      authorization: "Bearer t",
      schema: z.object({}),
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ problem: "unavailable", retryable: true });
  });
});
