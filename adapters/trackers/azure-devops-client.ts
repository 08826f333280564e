// Azure DevOps Boards (and Azure DevOps Server) through REST API 7.1: a Task work item made
// from a JSON Patch document, signed in with a personal access token.
import { z } from "zod";
import type { TrackerTarget } from "../../src/domain/tracker.ts";
import type { TrackerClient, TrackerItem } from "../../src/ports/tracker.ts";
import { basicAuth, type TrackerHttp } from "./tracker-http.ts";

const API_VERSION = "7.1";
/** Every process template (Basic, Agile, Scrum, CMMI) has Task. */
const WORK_ITEM_TYPE = "Task";
const LEERLUS_TAG = "leerlus";

const projectSchema = z.object({ id: z.string(), name: z.string() });
const createdSchema = z.object({
  id: z.number().int(),
  // Only a web address is a link people may open.
  _links: z.object({ html: z.object({ href: z.string().regex(/^https?:\/\//) }) }).optional(),
});
const wiqlSchema = z.object({ workItems: z.array(z.object({ id: z.number().int() })) });

const authorization = (target: TrackerTarget) => basicAuth("", target.credentials.token);
const projectPath = (target: TrackerTarget) => `${target.baseUrl}/${encodeURIComponent(target.project)}`;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function itemOf(target: TrackerTarget, id: number, href?: string): TrackerItem {
  return { key: String(id), url: href ?? `${projectPath(target)}/_workitems/edit/${id}` };
}

export function createAzureDevOpsClient(http: TrackerHttp): TrackerClient {
  return {
    async check(target) {
      const project = await http({
        method: "GET",
        url: `${target.baseUrl}/_apis/projects/${encodeURIComponent(target.project)}?api-version=${API_VERSION}`,
        authorization: authorization(target),
        schema: projectSchema,
      });
      return { project: project.name };
    },
    async find(target, marker) {
      // WIQL quotes with single quotes; the marker is Leerlus's own (leerlus-<uuid>), never typed by people.
      const query = `SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project AND [System.Tags] CONTAINS '${marker}'`;
      const found = await http({
        method: "POST",
        url: `${projectPath(target)}/_apis/wit/wiql?api-version=${API_VERSION}`,
        authorization: authorization(target),
        schema: wiqlSchema,
        body: { query },
      });
      const [item] = found.workItems;
      return item ? itemOf(target, item.id) : null;
    },
    async create(target, item) {
      const description = item.description
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => `<p>${escapeHtml(line)}</p>`)
        .join("");
      const created = await http({
        method: "POST",
        url: `${projectPath(target)}/_apis/wit/workitems/$${WORK_ITEM_TYPE}?api-version=${API_VERSION}`,
        authorization: authorization(target),
        schema: createdSchema,
        contentType: "application/json-patch+json",
        body: [
          { op: "add", path: "/fields/System.Title", value: item.title },
          { op: "add", path: "/fields/System.Description", value: description },
          { op: "add", path: "/fields/System.Tags", value: `${LEERLUS_TAG}; ${item.marker}` },
        ],
      });
      return itemOf(target, created.id, created._links?.html.href);
    },
  };
}
