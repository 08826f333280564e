// The web chat's session: a signed, expiring cookie naming the person. It is set
// only after a signed link (or, in demo mode, a persona choice) was accepted.
import type { Request, Response } from "express";
import type { Locale } from "../../src/domain/locale.ts";
import { createLinkSigner } from "../../src/use-cases/adapter-entry.ts";
import type { Viewer, WebAdapterConfig } from "./web-config.ts";

export const SESSION_COOKIE = "leerlus_web";
const SESSION_PURPOSE = "web-session";
const SESSION_SECONDS = 12 * 60 * 60;

export type Sessions = {
  /** Sets the session cookie for this person on the response. */
  start(response: Response, personId: string, secure: boolean): void;
  /** The signed-in person, or null when there is no valid session (or the person is gone). */
  viewer(request: Request): Promise<Viewer | null>;
};

export function createSessions(
  config: Pick<WebAdapterConfig, "sessionSecret" | "directory" | "secureCookies">,
): Sessions {
  // Same token format as links, separate secret and purpose: a link can't pose as a session.
  const signer = createLinkSigner(config.sessionSecret);
  return {
    start(response, personId, secure) {
      const token = signer.sign({
        personId,
        purpose: SESSION_PURPOSE,
        expiresAt: new Date(Date.now() + SESSION_SECONDS * 1000),
      });
      const attributes = [
        `${SESSION_COOKIE}=${token}`,
        "Path=/",
        "HttpOnly",
        "SameSite=Lax",
        `Max-Age=${SESSION_SECONDS}`,
      ];
      if (secure || config.secureCookies) attributes.push("Secure");
      response.append("Set-Cookie", attributes.join("; "));
    },

    async viewer(request) {
      const token = readCookie(request.headers.cookie, SESSION_COOKIE);
      if (!token) return null;
      const verified = signer.verify(token, new Date());
      if (!verified.ok || verified.purpose !== SESSION_PURPOSE) return null;
      return config.directory.person(verified.personId);
    },
  };
}

export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const separator = part.indexOf("=");
    if (separator < 0) continue;
    if (part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return null;
}

/** Before anyone is signed in, the browser's preference decides; Dutch otherwise. */
export function guessLocale(request: Request): Locale {
  const preferred = request.acceptsLanguages("nl", "en");
  return preferred === "en" ? "en" : "nl";
}
