// A local stand-in for Azure DevOps Services' REST API 7.1 (Boards): projects, work items made
// from JSON Patch documents, and WIQL queries. Signed in with a personal access token (Basic,
// any user name); without one it answers 203 with a sign-in page, as the real service does.
import { type FakeTrackerServer, type Reply, startFakeTrackerServer, type TrackerCall } from "./fake-tracker-server.ts";

export type WorkItem = { id: number; project: string; type: string; fields: Record<string, unknown> };

export type FakeAzureDevOps = FakeTrackerServer & {
  /** The organisation URL to configure: http://127.0.0.1:<port>/<organisation>. */
  organisationUrl: string;
  organisation: string;
  pat: string;
  projects: Set<string>;
  workItems: WorkItem[];
};

const SIGN_IN_PAGE = "<html><head><title>Azure DevOps Services | Sign In</title></head><body></body></html>";
const TAG_IN_WIQL = /\[System\.Tags\] CONTAINS '([^']+)'/;

type PatchOp = { op?: unknown; path?: unknown; value?: unknown };

function patPresented(call: TrackerCall): string | null {
  const header = call.authorization ?? "";
  if (!header.startsWith("Basic ")) return null;
  const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? null : decoded.slice(colon + 1);
}

function fieldsOf(body: unknown): Record<string, unknown> | string {
  if (!Array.isArray(body) || body.length === 0)
    return "You must pass a valid patch document in the body of the request.";
  const fields: Record<string, unknown> = {};
  for (const op of body as PatchOp[]) {
    if (op.op !== "add" || typeof op.path !== "string" || !op.path.startsWith("/fields/")) {
      return `Invalid patch operation: ${String(op.op)} ${String(op.path)}`;
    }
    fields[op.path.slice("/fields/".length)] = op.value;
  }
  const title = fields["System.Title"];
  if (typeof title !== "string" || title === "" || title.length > 255) return "TF401320: Rule Error for field Title.";
  return fields;
}

export async function startFakeAzureDevOps(): Promise<FakeAzureDevOps> {
  const state = {
    organisation: "gemeente",
    pat: "azure-pat-abcdefghijklmnop",
    projects: new Set(["Slim Schoon"]),
    workItems: [] as WorkItem[],
  };
  let next = 100;
  let base = "";
  const route = (call: TrackerCall): Reply | undefined => {
    const presented = patPresented(call);
    if (presented === null) return { status: 203, html: SIGN_IN_PAGE };
    if (presented !== state.pat) {
      return { status: 401, body: { message: "TF400813: The user is not authorized to access this resource." } };
    }
    if (call.query.get("api-version") !== "7.1") {
      return { status: 400, body: { message: "The requested REST API version is not supported." } };
    }
    const parts = call.path.split("/").filter(Boolean);
    const [organisation, second, third, fourth, fifth] = parts;
    if (organisation !== state.organisation) return { status: 404, body: { message: "organisation not found" } };
    if (call.method === "GET" && second === "_apis" && third === "projects" && fourth) {
      return state.projects.has(fourth)
        ? { status: 200, body: { id: "p-1", name: fourth, state: "wellFormed" } }
        : { status: 404, body: { message: `TF200016: The following project does not exist: ${fourth}.` } };
    }
    const project = second ?? "";
    if (!state.projects.has(project) || third !== "_apis" || fourth !== "wit") return undefined;
    if (call.method === "POST" && fifth === "wiql") {
      const tag = TAG_IN_WIQL.exec(String((call.body as { query?: unknown } | undefined)?.query ?? ""))?.[1];
      const found = state.workItems.filter((item) => {
        const tags = String(item.fields["System.Tags"] ?? "")
          .split(";")
          .map((t) => t.trim());
        return item.project === project && tag !== undefined && tags.includes(tag);
      });
      return {
        status: 200,
        body: {
          queryType: "flat",
          workItems: found.map((item) => ({ id: item.id, url: `${base}/_apis/wit/workItems/${item.id}` })),
        },
      };
    }
    const type = /^workitems\/\$(.+)$/.exec(parts.slice(4).join("/"))?.[1];
    if (call.method === "POST" && type) {
      if (call.contentType !== "application/json-patch+json") {
        return {
          status: 400,
          body: {
            message:
              "The request indicated a Content-Type of application/json, which is not supported. Use application/json-patch+json.",
          },
        };
      }
      if (type !== "Task") return { status: 404, body: { message: `TF401326: Invalid work item type ${type}.` } };
      const fields = fieldsOf(call.body);
      if (typeof fields === "string") return { status: 400, body: { message: fields } };
      const id = next++;
      state.workItems.push({ id, project, type, fields });
      const html = `${base}/${organisation}/${encodeURIComponent(project)}/_workitems/edit/${id}`;
      return {
        status: 200,
        body: { id, rev: 1, fields, _links: { html: { href: html } }, url: `${base}/_apis/wit/workItems/${id}` },
      };
    }
    return undefined;
  };
  const server = await startFakeTrackerServer(route);
  base = server.base;
  return Object.assign(server, state, { organisationUrl: `${server.base}/${state.organisation}` });
}
