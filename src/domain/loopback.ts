// Whether a host name or address stays on this machine. Pure, so the configuration and the
// Teams adapter's local anonymous mode decide it the same way.

const IPV4_LOOPBACK = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** `localhost`, 127.0.0.0/8 or ::1 (also bracketed as in a URL, and IPv4-mapped). */
export function isLoopbackHost(host: string): boolean {
  const name = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, "$1")
    .replace(/\.$/, "");
  if (name === "localhost") return true;
  if (name === "::1" || name === "0:0:0:0:0:0:0:1") return true;
  const ipv4 = name.startsWith("::ffff:") ? name.slice("::ffff:".length) : name;
  const match = IPV4_LOOPBACK.exec(ipv4);
  if (!match) return false;
  return match.slice(1).every((part) => Number(part) <= 255);
}
