// Preloaded into the Prisma CLI by migrate.ts. The WebAssembly schema engine leaves a
// 10-second timer running after its work is done, which keeps the CLI alive for 10 s
// per migration; unref'ing long timers lets it exit as soon as it has finished.
const original = global.setTimeout;
global.setTimeout = function setTimeoutUnrefLong(callback, ms, ...args) {
  const timer = original.call(this, callback, ms, ...args);
  if (ms >= 10000 && timer && typeof timer.unref === "function") timer.unref();
  return timer;
};
