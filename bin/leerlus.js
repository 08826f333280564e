#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx: no build step to forget.
import { register } from "tsx/esm/api";

register();
const argv = process.argv.slice(2);
// The data commands start without the servers and chat SDKs: an import of a large file then
// has the memory for its file (src/cli/data-cli.ts). Help is answered by the full CLI.
const data = await import("../src/cli/data-cli.ts");
const asksForHelp = argv.includes("--help") || argv.includes("-h");
if (data.DATA_COMMANDS.includes(argv[0]) && !asksForHelp) {
  process.exitCode = await data.runDataCommand(argv);
} else {
  const { runCli } = await import("../src/main.ts");
  process.exitCode = await runCli(argv);
}
