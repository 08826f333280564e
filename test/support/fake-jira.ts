// A local stand-in for Jira's REST API: Cloud (v3: Basic email:API token, descriptions in the
// Atlassian Document Format, search at /search/jql) and Data Center (v2: Bearer personal
// access token, plain descriptions, search at /search). It checks what a real Jira refuses.
import { type FakeTrackerServer, type Reply, startFakeTrackerServer, type TrackerCall } from "./fake-tracker-server.ts";

export type JiraIssue = {
  id: string;
  key: string;
  project: string;
  summary: string;
  description: unknown;
  labels: string[];
  issuetype: string;
  api: "2" | "3";
};

export type FakeJira = FakeTrackerServer & {
  issues: JiraIssue[];
  /** Cloud sign-in: the account's email and its API token. */
  cloud: { email: string; apiToken: string };
  /** Data Center sign-in: a personal access token. */
  dataCenter: { pat: string };
  projects: Set<string>;
};

const ISSUE_KEY_LABEL = /labels = "([^"]+)"/;
const PROJECT_IN_JQL = /project = "([^"]+)"/;

function authorised(call: TrackerCall, api: string, jira: Pick<FakeJira, "cloud" | "dataCenter">): boolean {
  if (api === "3") {
    const basic = Buffer.from(`${jira.cloud.email}:${jira.cloud.apiToken}`).toString("base64");
    return call.authorization === `Basic ${basic}`;
  }
  return call.authorization === `Bearer ${jira.dataCenter.pat}`;
}

function isAdf(value: unknown): boolean {
  if (!value || typeof value !== "object") return false;
  const doc = value as { type?: unknown; version?: unknown; content?: unknown };
  return doc.type === "doc" && doc.version === 1 && Array.isArray(doc.content);
}

/** Field errors as Jira words them, or none. */
function refusals(fields: Record<string, unknown>, api: string, jira: FakeJira): Record<string, string> {
  const errors: Record<string, string> = {};
  const project = (fields.project as { key?: unknown } | undefined)?.key;
  if (typeof project !== "string" || !jira.projects.has(project)) errors.project = "valid project is required";
  if ((fields.issuetype as { name?: unknown } | undefined)?.name !== "Task")
    errors.issuetype = "valid issue type is required";
  const summary = fields.summary;
  if (typeof summary !== "string" || summary === "" || summary.length > 255 || summary.includes("\n")) {
    errors.summary = "Summary must be one line of at most 255 characters.";
  }
  const description = fields.description;
  if (api === "3" ? !isAdf(description) : typeof description !== "string") {
    errors.description =
      api === "3" ? "Operation value must be an Atlassian Document." : "Operation value must be a string";
  }
  const labels = fields.labels;
  if (!Array.isArray(labels) || labels.some((label) => typeof label !== "string" || /\s/.test(label))) {
    errors.labels = "Labels cannot contain spaces";
  }
  return errors;
}

export async function startFakeJira(): Promise<FakeJira> {
  const jira = {
    issues: [] as JiraIssue[],
    cloud: { email: "team@gemeente.example", apiToken: "jira-cloud-token-1234567890" },
    dataCenter: { pat: "jira-dc-pat-0987654321" },
    projects: new Set(["LL"]),
  };
  let next = 10000;
  const route = (call: TrackerCall): Reply | undefined => {
    const match = /^\/rest\/api\/(2|3)\/(.*)$/.exec(call.path);
    if (!match) return undefined;
    const [, api = "", rest = ""] = match;
    if (!authorised(call, api, jira)) {
      return { status: 401, body: { errorMessages: ["You are not authenticated."], errors: {} } };
    }
    const project = /^project\/([^/]+)$/.exec(rest);
    if (call.method === "GET" && project) {
      const key = project[1] ?? "";
      return jira.projects.has(key)
        ? { status: 200, body: { id: "10001", key, name: `Project ${key}` } }
        : { status: 404, body: { errorMessages: [`No project could be found with key '${key}'.`], errors: {} } };
    }
    // Atlassian removed Cloud's old search in 2025: only /search/jql answers there.
    if (call.method === "GET" && ((api === "3" && rest === "search/jql") || (api === "2" && rest === "search"))) {
      const jql = call.query.get("jql") ?? "";
      const label = ISSUE_KEY_LABEL.exec(jql)?.[1];
      const inProject = PROJECT_IN_JQL.exec(jql)?.[1];
      const found = jira.issues.filter(
        (i) => (!label || i.labels.includes(label)) && (!inProject || i.project === inProject),
      );
      const max = Number(call.query.get("maxResults") ?? 50);
      return { status: 200, body: { issues: found.slice(0, max).map((i) => ({ id: i.id, key: i.key, fields: {} })) } };
    }
    if (call.method === "GET" && api === "3" && rest === "search") {
      return { status: 410, body: { errorMessages: ["The requested API has been removed. Please use /search/jql."] } };
    }
    if (call.method === "POST" && rest === "issue") {
      if (!call.contentType?.startsWith("application/json")) return { status: 415, body: {} };
      const fields = ((call.body as { fields?: unknown } | undefined)?.fields ?? {}) as Record<string, unknown>;
      const errors = refusals(fields, api, jira as FakeJira);
      if (Object.keys(errors).length > 0) return { status: 400, body: { errorMessages: [], errors } };
      const key = (fields.project as { key: string }).key;
      const id = String(next++);
      const issue: JiraIssue = {
        id,
        key: `${key}-${jira.issues.filter((i) => i.project === key).length + 1}`,
        project: key,
        summary: fields.summary as string,
        description: fields.description,
        labels: fields.labels as string[],
        issuetype: "Task",
        api: api as "2" | "3",
      };
      jira.issues.push(issue);
      return { status: 201, body: { id, key: issue.key, self: `/rest/api/${api}/issue/${id}` } };
    }
    return undefined;
  };
  const server = await startFakeTrackerServer(route);
  return Object.assign(server, jira);
}
