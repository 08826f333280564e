import { createHmac, randomUUID } from "node:crypto";
import type { FormKind } from "../domain/record-status.ts";
import type { Deps } from "./deps.ts";

// Instances are needed while their form can still be sent: a retro window, a review.
const KEEP_MS = 60 * 24 * 60 * 60 * 1000;

/** Whose form, for forms that are not a retro's: a keyed hash of the person. */
export function personKeyFor(secret: string, personId: string): string {
  return createHmac("sha256", secret).update(`person:${personId}`).digest("base64url");
}

/** A form's submit value: its subject and, after a `#`, the instance it was shown as. */
export function splitFormValue(value: string): { subject: string; instanceId: string | null } {
  const at = value.indexOf("#");
  return at < 0
    ? { subject: value, instanceId: null }
    : { subject: value.slice(0, at), instanceId: value.slice(at + 1) };
}

function fingerprint(secret: string, instanceId: string, key: string, value: string): string {
  return createHmac("sha256", secret).update(`${instanceId}\n${key}\n${value}`).digest("base64url").slice(0, 22);
}

/**
 * Records the values a form is shown with, as keyed fingerprints (the values themselves are
 * stored only where they belong), and returns the submit value that names this instance.
 */
export async function recordShownForm(
  deps: Deps,
  input: { ownerKey: string; kind: FormKind; subject: string; values: Record<string, string> },
): Promise<string> {
  const id = randomUUID();
  const now = deps.clock.now();
  const shown = Object.fromEntries(
    Object.entries(input.values)
      .map(([key, value]) => [key, value.trim()] as const)
      .filter(([, value]) => value !== "")
      .map(([key, value]) => [key, fingerprint(deps.secret, id, key, value)]),
  );
  await deps.stores.forms.prune(new Date(now.getTime() - KEEP_MS));
  await deps.stores.forms.put(
    { id, ownerKey: input.ownerKey, kind: input.kind, subject: input.subject, data: { shown } },
    now,
  );
  return `${input.subject}#${id}`;
}

/**
 * Whether a submitted field still holds what its form showed. A form is taken as shown only
 * when its instance belongs to the person who sent it (by the key the request's verified
 * identity gives) and to this subject; any other form counts as shown empty, so an empty
 * field in it clears nothing.
 */
export async function shownFormCheck(
  deps: Deps,
  value: string,
  expected: { ownerKey: string; kind: FormKind },
): Promise<(key: string, submitted: string) => boolean> {
  const { subject, instanceId } = splitFormValue(value);
  const instance = instanceId ? await deps.stores.forms.get(instanceId) : null;
  const fits =
    instance !== null &&
    instance.ownerKey === expected.ownerKey &&
    instance.kind === expected.kind &&
    instance.subject === subject;
  const shown = fits ? ((instance.data.shown ?? {}) as Record<string, string>) : {};
  return (key, submitted) => {
    const value = submitted.trim();
    const print = shown[key];
    if (value === "") return print === undefined;
    return print !== undefined && instanceId !== null && print === fingerprint(deps.secret, instanceId, key, value);
  };
}
