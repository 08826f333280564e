// Where teams track their work: Jira (Cloud or Data Center) and Azure DevOps Boards. Pure
// rules for what a lead may configure; the HTTP clients live in adapters/trackers.

export const TRACKER_KINDS = ["jira", "azure-devops"] as const;
export type TrackerKind = (typeof TRACKER_KINDS)[number];

/**
 * How Leerlus signs in. Jira Cloud takes the account's email with an API token (Basic);
 * Jira Data Center a personal access token (Bearer); Azure DevOps a personal access token
 * (Basic, empty user name).
 */
export type TrackerCredentials = { token: string; email?: string };

/** A project's tracker, with its credentials unsealed: only ever in memory. */
export type TrackerTarget = {
  kind: TrackerKind;
  /** Jira's base URL, or Azure DevOps' organisation (or collection) URL; no trailing slash. */
  baseUrl: string;
  /** Jira's project key (LL), or the Azure DevOps project's name. */
  project: string;
  credentials: TrackerCredentials;
};

/** What the chat explains when a tracker says no; each has its own message in both languages. */
export const TRACKER_PROBLEMS = [
  "unauthorized",
  "forbidden",
  "not-found",
  "rejected",
  "rate-limited",
  "unavailable",
  "unexpected",
  /** The lead removed the tracker, or its token can no longer be read: it has to be given again. */
  "not-configured",
] as const;
export type TrackerProblem = (typeof TRACKER_PROBLEMS)[number];

export const TRACKER_URL_MAX = 200;
export const TRACKER_PROJECT_MAX = 64;
export const TRACKER_TOKEN_MAX = 500;
export const TRACKER_EMAIL_MAX = 254;
/** Jira's summary and Azure DevOps' title both stop at 255 characters. */
export const TRACKER_TITLE_MAX = 255;

/**
 * The tracker's web address as typed, made canonical: https (plain http only where the
 * installation allows it, for local stand-ins), no user name, query or fragment, no
 * trailing slash. Null when it is not such an address.
 */
export function trackerUrl(text: string, options: { allowHttp?: boolean } = {}): string | null {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return null;
  }
  const schemeOk = url.protocol === "https:" || (options.allowHttp === true && url.protocol === "http:");
  if (!schemeOk || url.username || url.password || url.search || url.hash || !url.hostname) return null;
  const canonical = `${url.origin}${url.pathname}`.replace(/\/+$/, "");
  return canonical.length <= TRACKER_URL_MAX ? canonical : null;
}

/**
 * Where the API lives, from an address people may have copied from their browser: Jira
 * Cloud's site (https://gemeente.atlassian.net/jira/software/… → its origin), Azure DevOps'
 * organisation (https://dev.azure.com/gemeente/Project/_boards → …/gemeente; a
 * *.visualstudio.com organisation is its origin). Other hosts (Jira Data Center, Azure DevOps
 * Server) keep their path: it may hold a context path or a collection.
 */
export function trackerBaseUrl(kind: TrackerKind, url: string): string {
  const parsed = new URL(url);
  const host = parsed.hostname.toLowerCase();
  if (kind === "jira" && host.endsWith(".atlassian.net")) return parsed.origin;
  if (kind === "azure-devops" && host.endsWith(".visualstudio.com")) return parsed.origin;
  if (kind === "azure-devops" && host === "dev.azure.com") {
    const [organisation] = parsed.pathname.split("/").filter(Boolean);
    return organisation ? `${parsed.origin}/${organisation}` : parsed.origin;
  }
  return url;
}

/** Jira project keys: a letter, then letters, digits or underscores (LL, GEM_3). */
const JIRA_KEY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
/** Azure DevOps project names: no control characters and none of its reserved ones. */
const AZURE_PROJECT = /^[^\\/:*?"<>|;#$%&+,=@[\]{}\p{Cc}]{1,64}$/u;

/** The project as the tracker names it, or null when the tracker would not accept that name. */
export function trackerProject(kind: TrackerKind, text: string): string | null {
  const project = text.trim();
  if (kind === "jira") return JIRA_KEY.test(project) ? project.toUpperCase() : null;
  return AZURE_PROJECT.test(project) && !project.startsWith(".") && !project.endsWith(".") ? project : null;
}

/** Jira Cloud lives on atlassian.net; Leerlus signs in there with an email and an API token. */
export function isJiraCloud(baseUrl: string): boolean {
  try {
    return new URL(baseUrl).hostname.toLowerCase().endsWith(".atlassian.net");
  } catch {
    return false;
  }
}

/** The label (Jira) or tag (Azure DevOps) by which an earlier create of this action is found again. */
export function trackerMarker(actionId: string): string {
  return `leerlus-${actionId}`;
}

/** The action's text as a title: one line, at most {@link TRACKER_TITLE_MAX} characters. */
export function trackerTitle(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length <= TRACKER_TITLE_MAX ? line : `${line.slice(0, TRACKER_TITLE_MAX - 1)}…`;
}
