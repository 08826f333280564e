// The official schemas as judges of the app manifests Leerlus writes: Teams' from Microsoft's
// @microsoft/app-manifest (which ships every published schema version), Slack's from the
// schema file beside this one (see its $comment for where its rules come from).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { AppManifestUtils } from "@microsoft/app-manifest";
import { Ajv, type ErrorObject, type Options } from "ajv";

const require = createRequire(import.meta.url);
// CommonJS modules whose typings describe an ES default export that NodeNext can't see.
const AjvDraft04 = require("ajv-draft-04") as new (options: Options) => Ajv;
const addFormats = require("ajv-formats") as (ajv: Ajv, formats: string[]) => Ajv;
const describe = (error: ErrorObject) => `${error.instancePath} ${error.message}`;

/** Schema problems of a Teams manifest, checked against the schema its $schema names; empty when valid. */
export async function teamsManifestProblems(manifest: unknown): Promise<string[]> {
  return AppManifestUtils.validateAgainstSchema(
    manifest as Parameters<typeof AppManifestUtils.validateAgainstSchema>[0],
  );
}

/** Schema problems of a Teams localisation file (en.json) against the published localisation schema. */
export function teamsLocalizationProblems(localization: unknown, version = "1.22"): string[] {
  const path = require.resolve(
    `@microsoft/app-manifest/build/json-schemas/teams/v${version}/MicrosoftTeams.Localization.schema.json`,
  );
  // Its property-name patterns are not valid under the u flag; the library's own validator stumbles on them.
  const ajv = new AjvDraft04({ allErrors: true, strictTypes: false, unicodeRegExp: false });
  addFormats(ajv, ["uri"]);
  const validate = ajv.compile(JSON.parse(readFileSync(path, "utf8")));
  return validate(localization) ? [] : (validate.errors ?? []).map(describe);
}

const slackSchema = JSON.parse(readFileSync(new URL("./slack-manifest.schema.json", import.meta.url), "utf8"));

/** Schema problems of a Slack app manifest; empty when valid. */
export function slackManifestProblems(manifest: unknown): string[] {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(slackSchema);
  return validate(manifest) ? [] : (validate.errors ?? []).map(describe);
}
