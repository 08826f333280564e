// One request to a tracker's REST API, its answer checked with zod and its failures mapped to
// what a person can act on. Nothing here logs: requests carry tokens, answers carry work.
import type { z } from "zod";
import { TrackerError } from "../../src/ports/tracker.ts";

const DEFAULT_TIMEOUT_MS = 15_000;
/** A tracker asking for longer than this is asked again after this. */
const MAX_RETRY_AFTER_MS = 10 * 60_000;

export type TrackerRequest<T> = {
  method: "GET" | "POST";
  url: string;
  authorization: string;
  schema: z.ZodType<T>;
  body?: unknown;
  /** Azure DevOps takes a work item as a JSON Patch document. */
  contentType?: string;
};

export type TrackerHttp = <T>(request: TrackerRequest<T>) => Promise<T>;

/** `Retry-After` in seconds or as an HTTP date, in milliseconds from `now`. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(Math.max(0, ms), MAX_RETRY_AFTER_MS);
}

/** The field names a 400 names (Jira's `errors`); values are left out, they may quote people's text. */
function refusedFields(body: unknown): string[] {
  if (!body || typeof body !== "object" || !("errors" in body)) return [];
  const errors = (body as { errors: unknown }).errors;
  return errors && typeof errors === "object" ? Object.keys(errors).slice(0, 5) : [];
}

function failure(response: Response, body: unknown): TrackerError {
  const status = response.status;
  const retryAfter = retryAfterMs(response.headers.get("retry-after"));
  // Azure DevOps answers a request it cannot sign in with 203 and a sign-in page; others redirect to one.
  if (status === 203 || (status >= 300 && status < 400) || status === 401) {
    return new TrackerError("unauthorized", { status });
  }
  if (status === 403) return new TrackerError("forbidden", { status });
  if (status === 404) return new TrackerError("not-found", { status });
  if (status === 429) return new TrackerError("rate-limited", { status, retryAfterMs: retryAfter });
  if (status >= 500) return new TrackerError("unavailable", { status, retryAfterMs: retryAfter });
  if (status >= 400) return new TrackerError("rejected", { status, fields: refusedFields(body) });
  return new TrackerError("unexpected", { status });
}

async function jsonOf(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => "");
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function createTrackerHttp(options: { timeoutMs?: number } = {}): TrackerHttp {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return async (request) => {
    let response: Response;
    try {
      response = await fetch(request.url, {
        method: request.method,
        headers: {
          authorization: request.authorization,
          accept: "application/json",
          ...(request.body === undefined ? {} : { "content-type": request.contentType ?? "application/json" }),
        },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        // A redirect goes to a sign-in page, or somewhere the token was not meant for.
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch {
      throw new TrackerError("unavailable");
    }
    const body = await jsonOf(response);
    if (response.status < 200 || response.status >= 300 || response.status === 203) throw failure(response, body);
    const parsed = request.schema.safeParse(body);
    if (!parsed.success) throw new TrackerError("unexpected", { status: response.status });
    return parsed.data;
  };
}

export function basicAuth(user: string, secret: string): string {
  return `Basic ${Buffer.from(`${user}:${secret}`, "utf8").toString("base64")}`;
}
