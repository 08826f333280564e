// Chat commands, in English and Dutch: the text after the slash command or in a DM.
import { type CadenceProblem, type CadenceWithoutZone, cadenceProblem, parseCadence } from "./cadence-text.ts";
import type { ChannelLanguage } from "./channel-language.ts";
import { type DaysOffRequest, parseDaysOff } from "./days-off-text.ts";
import { type GuestRequest, parseGuestRequest } from "./guest-command.ts";
import { isProjectFlag, type ProjectFlag, parseYesNo } from "./project-flags.ts";
import { DEFAULT_LIVE_MINUTES, MAX_LIVE_MINUTES, MAX_VOTES, parseGroupRef } from "./sense-making.ts";
import { MAX_PULSE_EVERY } from "./team-pulse.ts";
import { parseTrackerRequest, type TrackerRequest } from "./tracker-command.ts";

export type Command =
  | { name: "help" }
  | { name: "retro-now" }
  | { name: "skip-next" }
  | { name: "cadence"; cadence: CadenceWithoutZone | null; problem: CadenceProblem | null }
  | { name: "days-off"; request: DaysOffRequest }
  | { name: "formats"; formats: string[] }
  | { name: "holidays"; policy: "move" | "skip" | null }
  | { name: "lessons"; query: string }
  | { name: "lessons-starter" }
  | { name: "lesson-add"; text: string }
  | { name: "feed-subscribe"; url: string }
  | { name: "feed-unsubscribe"; url: string }
  | { name: "feed-subscriptions" }
  | { name: "actions" }
  | { name: "reassign"; index: number; owner: string }
  | { name: "send-action"; index: number }
  /** date: ISO, or null when it is not a date. */
  | { name: "action-due"; index: number; date: string | null }
  | { name: "tracker"; request: TrackerRequest }
  | { name: "guest"; request: GuestRequest }
  | { name: "away"; until: string | null }
  | { name: "back" }
  | { name: "portfolio" }
  /** fresh: a new digest up to now (`digest new`), not the current one. */
  | { name: "digest"; fresh?: boolean }
  | { name: "web" }
  | { name: "privacy" }
  | { name: "setup" }
  | { name: "settings"; language: "nl" | "en" | "invalid" | null; timezone: string | null }
  | { name: "leave" }
  | { name: "members-sync" }
  | { name: "window"; days: number | null }
  | { name: "anonymous"; on: boolean | null }
  | { name: "project-language"; language: ChannelLanguage | "invalid" | null }
  /** every: a team pulse every N-th retro, 0 for none; null when unclear. */
  | { name: "pulse"; every: number | null }
  /** votes: each member's votes on the groups of a retro's answers; null when unclear. */
  | { name: "votes"; votes: number | null }
  | { name: "retro-group" }
  /** retro live: the lead runs the voting live for `minutes`; null when unclear or out of range. */
  | { name: "retro-live"; minutes: number | null }
  | { name: "close-voting" }
  /** The lead merges group `from` into group `into`, or puts answer `group.answer` in a group of its own. */
  | { name: "merge"; from: number; into: number }
  | { name: "split"; group: number; answer: number }
  | { name: "regroup-unclear"; merge: boolean }
  | { name: "role"; person: string; role: RoleName | null }
  | { name: "add-member"; person: string }
  | { name: "remove-member"; person: string }
  | { name: "audit" }
  | { name: "checkpoints" }
  | { name: "flags"; flag: ProjectFlag | "invalid" | null; value: boolean | null }
  | { name: "evidence"; key: string; text: string }
  | { name: "one-by-one" }
  | { name: "later" }
  | { name: "unknown"; text: string };

type Name = Command["name"];

export type ProjectRoleName = "member" | "lead" | "manager" | "adviser" | "sponsor";
/** A project role, or `admin`: organisation-wide, granted only by an admin. */
export type RoleName = ProjectRoleName | "admin";

const ROLE_NAMES: Record<string, RoleName> = {
  member: "member",
  lid: "member",
  lead: "lead",
  trekker: "lead",
  manager: "manager",
  adviser: "adviser",
  advisor: "adviser",
  adviseur: "adviser",
  admin: "admin",
  beheerder: "admin",
  sponsor: "sponsor",
  opdrachtgever: "sponsor",
};

/** Dutch names of the project flags; the English ids work in both languages. */
const FLAG_NAMES: Record<string, ProjectFlag> = {
  persoonsgegevens: "personal-data",
  "externe-verwerker": "external-processor",
  medewerkersgegevens: "staff-data",
  "ai-systeem": "ai-system",
  "hoog-risico-ai": "high-risk-ai",
  inkoop: "procurement",
  "eigen-software": "own-software",
  samenwerking: "partnership",
};

/** "flags", "flags personal-data yes", "kenmerken persoonsgegevens nee". */
function parseFlags(rest: string): Extract<Command, { name: "flags" }> {
  const [name = "", value = ""] = rest.toLowerCase().split(" ");
  if (name === "") return { name: "flags", flag: null, value: null };
  const flag = isProjectFlag(name) ? name : FLAG_NAMES[name];
  return { name: "flags", flag: flag ?? "invalid", value: parseYesNo(value) };
}

/** The team channel's language: "both" (beide) puts both in one message. */
const CHANNEL_LANGUAGE_WORDS: Record<string, ChannelLanguage> = { nl: "nl", en: "en", both: "both", beide: "both" };

const ON_OFF: Record<string, boolean> = { on: true, aan: true, off: false, uit: false };

/** "language en", "taal nl", "timezone Europe/London", "tijdzone Europe/Amsterdam", or both. */
function parseSettings(rest: string): { language: "nl" | "en" | "invalid" | null; timezone: string | null } {
  const words = rest.split(" ").filter(Boolean);
  let language: "nl" | "en" | "invalid" | null = null;
  let timezone: string | null = null;
  for (let i = 0; i < words.length; i += 2) {
    const key = (words[i] ?? "").toLowerCase();
    const value = words[i + 1] ?? "";
    if (key === "language" || key === "taal") {
      language = value === "nl" || value === "en" ? value : "invalid";
    } else if (key === "timezone" || key === "tijdzone") {
      timezone = value;
    }
  }
  return { language, timezone };
}

const HOLIDAY_POLICIES: Record<string, "move" | "skip"> = {
  move: "move",
  verschuiven: "move",
  skip: "skip",
  overslaan: "skip",
};

// Longest aliases first, so "retro now" wins over a shorter prefix.
const ALIASES: [string, Name][] = (
  [
    ["help", "help"],
    ["hulp", "help"],
    ["?", "help"],
    ["retro now", "retro-now"],
    ["retro nu", "retro-now"],
    ["skip next", "skip-next"],
    ["retro overslaan", "skip-next"],
    ["sla over", "skip-next"],
    ["cadence", "cadence"],
    ["ritme", "cadence"],
    ["holidays", "holidays"],
    ["days off", "days-off"],
    ["vrije dagen", "days-off"],
    ["feestdagen", "holidays"],
    ["formats", "formats"],
    ["formaten", "formats"],
    ["lessons", "lessons"],
    ["lessen", "lessons"],
    ["lessons starter", "lessons-starter"],
    ["lessen startbibliotheek", "lessons-starter"],
    ["lesson add", "lesson-add"],
    ["lessons subscribe", "feed-subscribe"],
    ["lessen abonneren", "feed-subscribe"],
    ["lessons unsubscribe", "feed-unsubscribe"],
    ["lessen opzeggen", "feed-unsubscribe"],
    ["lessons subscriptions", "feed-subscriptions"],
    ["lessen abonnementen", "feed-subscriptions"],
    ["les toevoegen", "lesson-add"],
    ["actions", "actions"],
    ["acties", "actions"],
    ["away until", "away"],
    ["away", "away"],
    ["afwezig tot", "away"],
    ["afwezig", "away"],
    ["back", "back"],
    ["portfolio", "portfolio"],
    ["digest", "digest"],
    ["overzicht", "digest"],
    ["projecten", "portfolio"],
    // The earlier Dutch word; kept so people who learned it are still understood.
    ["portefeuille", "portfolio"],
    ["privacy", "privacy"],
    ["setup", "setup"],
    ["opzetten", "setup"],
    ["settings", "settings"],
    ["instellingen", "settings"],
    ["leave", "leave"],
    ["afmelden", "leave"],
    ["members sync", "members-sync"],
    ["leden bijwerken", "members-sync"],
    ["window", "window"],
    ["venster", "window"],
    ["project language", "project-language"],
    ["projecttaal", "project-language"],
    ["anonymous", "anonymous"],
    ["anoniem", "anonymous"],
    ["pulse", "pulse"],
    ["teampeiling", "pulse"],
    ["votes", "votes"],
    ["stemmen", "votes"],
    ["retro live", "retro-live"],
    ["retro group", "retro-group"],
    ["retro groeperen", "retro-group"],
    ["close voting", "close-voting"],
    ["stemming sluiten", "close-voting"],
    ["merge", "merge"],
    ["samenvoegen", "merge"],
    ["split", "split"],
    ["splitsen", "split"],
    ["role", "role"],
    ["rol", "role"],
    ["add", "add-member"],
    ["toevoegen", "add-member"],
    ["remove", "remove-member"],
    ["verwijderen", "remove-member"],
    ["my data", "privacy"],
    ["mijn gegevens", "privacy"],
    ["audit", "audit"],
    ["web", "web"],
    ["checkpoints", "checkpoints"],
    ["checkpunten", "checkpoints"],
    ["toetspunten", "checkpoints"],
    ["flags", "flags"],
    ["kenmerken", "flags"],
    ["evidence", "evidence"],
    ["tracker", "tracker"],
    ["guest", "guest"],
    ["guests", "guest"],
    ["gast", "guest"],
    ["gasten", "guest"],
    ["koppeling", "tracker"],
    ["onderbouwing", "evidence"],
    ["terug", "back"],
    ["retro answer", "one-by-one"],
    ["retro beantwoorden", "one-by-one"],
    ["one by one", "one-by-one"],
    ["one question at a time", "one-by-one"],
    ["vraag voor vraag", "one-by-one"],
    ["later", "later"],
    ["straks", "later"],
  ] as [string, Name][]
).sort((a, b) => b[0].length - a[0].length);

/** "2026-12-01", "1-12-2026" or "1/12/2026" as an ISO date; null when it is not a real date. */
export function parseDate(text: string): string | null {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  const dutch = /^(\d{1,2})[-/](\d{1,2})[-/](\d{4})$/.exec(text);
  const [year, month, day] = iso
    ? [Number(iso[1]), Number(iso[2]), Number(iso[3])]
    : dutch
      ? [Number(dutch[3]), Number(dutch[2]), Number(dutch[1])]
      : [0, 0, 0];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (!year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

export function parseCommand(input: string): Command {
  const text = input.trim().replace(/\s+/g, " ");
  const lower = text.toLowerCase();
  if (lower === "") return { name: "help" };
  for (const [alias, name] of ALIASES) {
    if (lower !== alias && !lower.startsWith(`${alias} `)) continue;
    const rest = text.slice(alias.length).trim();
    switch (name) {
      case "lessons":
        return { name, query: rest };
      case "lessons-starter":
        // Only the command alone loads the library; more words are a search that starts with it.
        return rest === "" ? { name } : { name: "lessons", query: text.slice(text.indexOf(" ") + 1) };
      case "lesson-add":
        return { name, text: rest };
      case "feed-subscribe":
      case "feed-unsubscribe":
        return { name, url: rest };
      case "away":
        return { name, until: parseDate(rest.replace(/^(until|tot)\s+/i, "")) };
      case "cadence":
        return { name, cadence: parseCadence(rest), problem: cadenceProblem(rest) };
      case "days-off":
        return { name, request: parseDaysOff(rest, parseDate) };
      case "actions": {
        const reassign = /^(\d{1,3})\s+(?:owner|eigenaar)\s+(.+)$/i.exec(rest);
        if (reassign) return { name: "reassign", index: Number(reassign[1]), owner: (reassign[2] as string).trim() };
        const send = /^(\d{1,3})\s+(?:send|doorzetten)$/i.exec(rest);
        if (send) return { name: "send-action", index: Number(send[1]) };
        const due = /^(\d{1,3})\s+(?:due|uiterlijk)\s+(.+)$/i.exec(rest);
        if (due) return { name: "action-due", index: Number(due[1]), date: parseDate((due[2] as string).trim()) };
        if (rest === "") return { name };
        break;
      }
      case "settings":
        return { name, ...parseSettings(rest) };
      case "window": {
        const days = Number(rest.replace(/\s*(days?|dagen|dag)$/i, ""));
        return { name, days: Number.isInteger(days) && days >= 1 && days <= 10 ? days : null };
      }
      case "anonymous":
        return { name, on: ON_OFF[rest.toLowerCase()] ?? null };
      case "project-language":
        return { name, language: rest === "" ? null : (CHANNEL_LANGUAGE_WORDS[rest.toLowerCase()] ?? "invalid") };
      case "pulse": {
        if (ON_OFF[rest.toLowerCase()] === false) return { name, every: 0 };
        // Number("") is 0: a bare "pulse" is a question, not "off".
        const every = rest === "" ? Number.NaN : Number(rest.replace(/^(every|elke|om de)\s+/i, ""));
        return { name, every: Number.isInteger(every) && every >= 0 && every <= MAX_PULSE_EVERY ? every : null };
      }
      case "retro-live": {
        const minutes =
          rest === "" ? DEFAULT_LIVE_MINUTES : Number(rest.replace(/\s*(min|minutes?|minuten|minuut)$/i, ""));
        return {
          name,
          minutes: Number.isInteger(minutes) && minutes >= 1 && minutes <= MAX_LIVE_MINUTES ? minutes : null,
        };
      }
      case "votes": {
        const votes = rest === "" ? Number.NaN : Number(rest);
        return { name, votes: Number.isInteger(votes) && votes >= 1 && votes <= MAX_VOTES ? votes : null };
      }
      case "merge": {
        // "merge 3 1", "merge 3 into 1", "samenvoegen 3 met 1", "samenvoegen 3 en 1".
        const [from, into] = rest.split(/\s+(?:into|with|and|met|en|bij)\s+|\s+/i).map((word) => parseGroupRef(word));
        if (from && into && from.answer === null && into.answer === null) {
          return { name, from: from.group, into: into.group };
        }
        return { name: "regroup-unclear", merge: true };
      }
      case "split": {
        const ref = parseGroupRef(rest);
        if (ref && ref.answer !== null) return { name, group: ref.group, answer: ref.answer };
        return { name: "regroup-unclear", merge: false };
      }
      case "role": {
        const words = rest.split(" ");
        const role = ROLE_NAMES[(words.at(-1) ?? "").toLowerCase()] ?? null;
        return { name, person: words.slice(0, -1).join(" "), role };
      }
      case "add-member":
      case "remove-member":
        if (rest !== "") return { name, person: rest };
        break;
      case "flags":
        return parseFlags(rest);
      case "evidence": {
        const [key = "", ...text] = rest.split(" ");
        if (key !== "" && text.length > 0) return { name, key: key.toLowerCase(), text: text.join(" ") };
        break;
      }
      case "tracker":
        return { name, request: parseTrackerRequest(rest) };
      case "guest":
        return { name, request: parseGuestRequest(rest) };
      case "holidays":
        return { name, policy: HOLIDAY_POLICIES[rest.toLowerCase()] ?? null };
      case "digest":
        if (rest === "") return { name };
        if (/^(new|nieuw)$/i.test(rest)) return { name, fresh: true };
        break;
      case "formats":
        return {
          name,
          formats: rest
            .toLowerCase()
            .split(/[\s,]+/)
            .filter(Boolean),
        };
      default:
        if (rest === "") return { name } as Command;
    }
  }
  return { name: "unknown", text };
}
