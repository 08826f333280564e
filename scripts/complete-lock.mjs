// The registry these machines use has no packages for other platforms, so `npm install`
// writes a lock without the optional platform binaries of Biome and msgpackr, and
// `npm ci` then calls the lock out of sync. This adds their entries (version, os, cpu);
// npm skips them on other platforms and fetches them by name where they apply.
// Run after changing dependencies: node scripts/complete-lock.mjs package-lock.json
import fs from "node:fs";

const file = process.argv[2];
const lock = JSON.parse(fs.readFileSync(file, "utf8"));
const add = (name, version, os, cpu, extra = {}) => {
  const key = `node_modules/${name}`;
  if (lock.packages[key]) return;
  lock.packages[key] = { version, cpu: [cpu], ...extra, optional: true, os: [os] };
};
const biome = lock.packages["node_modules/@biomejs/biome"].version;
for (const [suffix, os, cpu, libc] of [
  ["android-arm64", "android", "arm64"],
  ["android-x64", "android", "x64"],
  ["darwin-arm64", "darwin", "arm64"],
  ["darwin-x64", "darwin", "x64"],
  ["linux-arm64-musl", "linux", "arm64", "musl"],
  ["linux-x64-musl", "linux", "x64", "musl"],
  ["win32-arm64", "win32", "arm64"],
  ["win32-x64", "win32", "x64"],
])
  add(`@biomejs/cli-${suffix}`, biome, os, cpu, { dev: true, ...(libc ? { libc: [libc] } : {}) });
const msgpackr = lock.packages["node_modules/@msgpackr-extract/msgpackr-extract-linux-x64"].version;
for (const [suffix, os, cpu] of [
  ["darwin-arm64", "darwin", "arm64"],
  ["darwin-x64", "darwin", "x64"],
  ["linux-arm", "linux", "arm"],
  ["win32-x64", "win32", "x64"],
])
  add(`@msgpackr-extract/msgpackr-extract-${suffix}`, msgpackr, os, cpu);
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))),
);
fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
