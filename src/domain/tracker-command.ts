// `tracker …` (`koppeling …`): what a lead asks of the project's tracker, in English and Dutch.
import type { TrackerKind } from "./tracker.ts";

export type TrackerRequest =
  | { kind: "show" }
  /** Opens the form, prefilled with what was typed; the token is only ever typed into the form. */
  | { kind: "set"; tracker: TrackerKind | null; url: string; project: string }
  | { kind: "auto"; on: boolean | null }
  | { kind: "off" };

const KINDS: Record<string, TrackerKind> = { jira: "jira", azure: "azure-devops", "azure-devops": "azure-devops" };
const AUTO = new Set(["auto", "automatic", "automatically", "automatisch"]);
const ON_OFF: Record<string, boolean> = { on: true, aan: true, off: false, uit: false };
const OFF = new Set(["off", "uit", "remove", "verwijderen", "stop", "stoppen"]);

/** The words after `tracker` or `koppeling`. */
export function parseTrackerRequest(rest: string): TrackerRequest {
  const words = rest.split(" ").filter(Boolean);
  const [first = "", second = "", ...others] = words;
  const lower = first.toLowerCase();
  if (lower === "") return { kind: "show" };
  if (OFF.has(lower) && words.length === 1) return { kind: "off" };
  if (AUTO.has(lower)) return { kind: "auto", on: ON_OFF[second.toLowerCase()] ?? null };
  const tracker = KINDS[lower];
  if (tracker) return { kind: "set", tracker, url: second, project: others.join(" ") };
  return { kind: "set", tracker: null, url: "", project: "" };
}
