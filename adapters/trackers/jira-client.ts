// Jira through its REST API: Cloud (v3, an account's email and API token, descriptions in the
// Atlassian Document Format) and Data Center (v2, a personal access token, plain descriptions).
import { z } from "zod";
import type { TrackerTarget } from "../../src/domain/tracker.ts";
import { type NewTrackerItem, type TrackerClient, TrackerError, type TrackerItem } from "../../src/ports/tracker.ts";
import { basicAuth, type TrackerHttp } from "./tracker-http.ts";

/** The issue type every Jira scheme has out of the box (Taak in a Dutch Jira). */
const ISSUE_TYPE = "Task";
const LEERLUS_LABEL = "leerlus";

const projectSchema = z.object({ id: z.string(), key: z.string(), name: z.string() });
const createdSchema = z.object({ id: z.string(), key: z.string() });
const searchSchema = z.object({ issues: z.array(z.object({ id: z.string(), key: z.string() })) });

type Api = { version: "2" | "3"; authorization: string };

/** Cloud when an email came with the token; Data Center (a bearer token) otherwise. */
function apiFor(target: TrackerTarget): Api {
  const { email, token } = target.credentials;
  return email
    ? { version: "3", authorization: basicAuth(email, token) }
    : { version: "2", authorization: `Bearer ${token}` };
}

/** Plain text as Atlassian Document Format: a paragraph per line. */
function adf(text: string): unknown {
  return {
    type: "doc",
    version: 1,
    content: text
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => ({ type: "paragraph", content: [{ type: "text", text: line }] })),
  };
}

function itemOf(target: TrackerTarget, key: string): TrackerItem {
  return { key, url: `${target.baseUrl}/browse/${encodeURIComponent(key)}` };
}

export function createJiraClient(http: TrackerHttp): TrackerClient {
  return {
    async check(target) {
      const api = apiFor(target);
      const project = await http({
        method: "GET",
        url: `${target.baseUrl}/rest/api/${api.version}/project/${encodeURIComponent(target.project)}`,
        authorization: api.authorization,
        schema: projectSchema,
      });
      return { project: project.key };
    },
    async find(target, marker) {
      const api = apiFor(target);
      const jql = `project = "${target.project}" AND labels = "${marker}"`;
      // Cloud retired /search for /search/jql in 2025; Data Center keeps /search.
      const path = api.version === "3" ? "search/jql" : "search";
      const query = new URLSearchParams({ jql, fields: "key", maxResults: "1" });
      const found = await http({
        method: "GET",
        url: `${target.baseUrl}/rest/api/${api.version}/${path}?${query}`,
        authorization: api.authorization,
        schema: searchSchema,
      });
      const [issue] = found.issues;
      return issue ? itemOf(target, issue.key) : null;
    },
    async create(target, item: NewTrackerItem) {
      const api = apiFor(target);
      const created = await http({
        method: "POST",
        url: `${target.baseUrl}/rest/api/${api.version}/issue`,
        authorization: api.authorization,
        schema: createdSchema,
        body: {
          fields: {
            project: { key: target.project },
            issuetype: { name: ISSUE_TYPE },
            summary: item.title,
            description: api.version === "3" ? adf(item.description) : item.description,
            labels: [LEERLUS_LABEL, item.marker],
          },
        },
      }).catch((error: unknown) => {
        // Jira refuses an issue for a project that is gone (or hidden from the account) as a bad `project` field.
        if (error instanceof TrackerError && error.problem === "rejected" && error.fields.includes("project")) {
          throw new TrackerError("not-found", { status: 400 });
        }
        throw error;
      });
      return itemOf(target, created.key);
    },
  };
}
