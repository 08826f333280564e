// The security headers every answer carries, through helmet. Pages that need a stricter
// policy (the digest pages) or a looser one (the queue dashboard) set their own after this.
import type { RequestHandler } from "express";
import helmet from "helmet";

/** The web chat and its pages load only their own script and stylesheet, and nobody frames them. */
export const PAGE_POLICY = {
  "default-src": ["'self'"],
  "base-uri": ["'none'"],
  "object-src": ["'none'"],
  "frame-ancestors": ["'none'"],
  "form-action": ["'self'"],
  "script-src": ["'self'"],
  "script-src-attr": ["'none'"],
  "style-src": ["'self'"],
  "img-src": ["'self'", "data:"],
  "font-src": ["'self'"],
  "connect-src": ["'self'"],
};

export function securityHeaders(publicUrl: string | undefined): RequestHandler {
  const https = publicUrl?.startsWith("https:") ?? false;
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      // Over plain HTTP (the demo, a local trial) an upgrade would break every request.
      directives: { ...PAGE_POLICY, ...(https ? { "upgrade-insecure-requests": [] } : {}) },
    },
    // Sent only where people reach Leerlus over TLS; a browser ignores it over HTTP anyway.
    strictTransportSecurity: https ? { maxAge: 180 * 24 * 60 * 60, includeSubDomains: false } : false,
    referrerPolicy: { policy: "no-referrer" },
    xFrameOptions: { action: "deny" },
  });
}
