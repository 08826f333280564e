import type { TrackerClients } from "../../src/ports/tracker.ts";
import { createAzureDevOpsClient } from "./azure-devops-client.ts";
import { createJiraClient } from "./jira-client.ts";
import { createTrackerHttp } from "./tracker-http.ts";

/** The clients of every tracker Leerlus sends actions to, sharing one HTTP helper. */
export function createTrackerClients(options: { timeoutMs?: number } = {}): TrackerClients {
  const http = createTrackerHttp(options);
  return { jira: createJiraClient(http), "azure-devops": createAzureDevOpsClient(http) };
}
