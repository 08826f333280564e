// Preloaded into a child process (`node --import`): on exit, writes the process's peak resident
// set size in kilobytes to the file LEERLUS_MAX_RSS_FILE names.
import { writeFileSync } from "node:fs";

process.on("exit", () => {
  const file = process.env.LEERLUS_MAX_RSS_FILE;
  if (file) writeFileSync(file, String(process.resourceUsage().maxRSS));
});
