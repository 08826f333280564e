// `leerlus <command> --help` and `leerlus --version`: answered before any configuration is
// read, so asking for help never starts, migrates or opens anything.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE_JSON = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../package.json");

/** The version in package.json, which is what the image and `npm install` carry. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(PACKAGE_JSON, "utf8")) as { version: string }).version;
}

/** Whether the arguments after the command ask for help. */
export function asksForHelp(args: string[]): boolean {
  return args.some((arg) => arg === "--help" || arg === "-h");
}

/**
 * The entries of the general usage that describe `command`: each of its lines that start
 * with the command, with the indented lines that follow them. Undefined for an unknown command.
 */
export function commandHelp(usage: string, command: string): string | undefined {
  const entries: string[] = [];
  let inEntry = false;
  for (const line of usage.split("\n")) {
    const entryStart = /^ {2}\S/.test(line);
    if (entryStart) inEntry = line.slice(2).split(/\s/)[0] === command;
    else if (!/^ {3,}\S/.test(line)) inEntry = false;
    if (inEntry) entries.push(line);
  }
  if (entries.length === 0) return undefined;
  return `Usage: leerlus ${command} …\n\n${entries.join("\n")}\n\nConfiguration comes from the environment; see .env.example.`;
}
