import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createLinkSigner } from "../../src/use-cases/signed-link.ts";

const secret = "a-test-secret-that-is-long-enough";
const now = new Date("2025-03-10T09:00:00Z");
const inAnHour = new Date(now.getTime() + 3_600_000);

describe("createLinkSigner", () => {
  const signer = createLinkSigner(secret);

  it("verifies what it signed, before expiry", () => {
    const token = signer.sign({ personId: "p-1", purpose: "web", expiresAt: inAnHour });
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(signer.verify(token, now)).toEqual({ ok: true, personId: "p-1", purpose: "web" });
  });

  it("refuses an expired link, also exactly at the expiry instant", () => {
    const token = signer.sign({ personId: "p-1", purpose: "web", expiresAt: inAnHour });
    expect(signer.verify(token, inAnHour)).toEqual({ ok: false, code: "LINK_EXPIRED" });
    expect(signer.verify(token, new Date(inAnHour.getTime() + 1))).toEqual({ ok: false, code: "LINK_EXPIRED" });
  });

  it("refuses a link signed with another secret", () => {
    const token = createLinkSigner("another-secret-of-enough-length").sign({
      personId: "p-1",
      purpose: "web",
      expiresAt: inAnHour,
    });
    expect(signer.verify(token, now)).toEqual({ ok: false, code: "LINK_INVALID" });
  });

  it("refuses an altered payload, even one that is still well-formed", () => {
    const token = signer.sign({ personId: "p-1", purpose: "web", expiresAt: inAnHour });
    const [, signature] = token.split(".");
    const forged = Buffer.from(JSON.stringify({ p: "p-2", u: "web", e: inAnHour.getTime() })).toString("base64url");
    expect(signer.verify(`${forged}.${signature}`, now)).toEqual({ ok: false, code: "LINK_INVALID" });
  });

  it("refuses an altered signature", () => {
    const token = signer.sign({ personId: "p-1", purpose: "web", expiresAt: inAnHour });
    const last = token.at(-1) === "A" ? "B" : "A";
    expect(signer.verify(`${token.slice(0, -1)}${last}`, now)).toEqual({ ok: false, code: "LINK_INVALID" });
  });

  it("refuses an altered expiry even when it lies in the past (invalid beats expired)", () => {
    const token = signer.sign({ personId: "p-1", purpose: "web", expiresAt: inAnHour });
    const [, signature] = token.split(".");
    const forged = Buffer.from(JSON.stringify({ p: "p-1", u: "web", e: 1 })).toString("base64url");
    expect(signer.verify(`${forged}.${signature}`, now)).toEqual({ ok: false, code: "LINK_INVALID" });
  });

  it.each(["", ".", "abc", "a.b.c", "%%%.%%%", "x".repeat(5000)])("refuses garbage %#", (garbage) => {
    expect(signer.verify(garbage, now)).toEqual({ ok: false, code: "LINK_INVALID" });
  });

  it("refuses a correctly signed payload of the wrong shape", () => {
    // Signed with the real secret but not by sign(): proves the shape check, not the MAC, rejects it.
    const body = Buffer.from(JSON.stringify({ p: 42, u: "web", e: inAnHour.getTime() })).toString("base64url");
    const signature = createHmac("sha256", secret).update(body).digest("base64url");
    expect(signer.verify(`${body}.${signature}`, now)).toEqual({ ok: false, code: "LINK_INVALID" });
  });

  it("keeps purposes apart for the caller to check", () => {
    const token = signer.sign({ personId: "p-1", purpose: "export", expiresAt: inAnHour });
    expect(signer.verify(token, now)).toMatchObject({ ok: true, purpose: "export" });
  });

  it("rejects a short secret and an invalid expiry with coded errors", () => {
    expect(() => createLinkSigner("short")).toThrow(/LINK_SECRET_TOO_SHORT/);
    expect(() => signer.sign({ personId: "p", purpose: "web", expiresAt: new Date(Number.NaN) })).toThrow(
      /LINK_EXPIRY_INVALID/,
    );
  });
});
