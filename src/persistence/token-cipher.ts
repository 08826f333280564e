// AES-256-GCM for platform tokens at rest. A fresh 12-byte IV per value; the auth tag
// makes a tampered or wrong-key value fail loudly instead of decrypting to garbage.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";
import { LeerlusError } from "../domain/leerlus-error.ts";

const VERSION = "v1";

export type TokenCipher = {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
};

/** `key` is 32 bytes, base64 (TOKEN_ENCRYPTION_KEY). */
export function createTokenCipher(keyBase64: string): TokenCipher {
  const key = Buffer.from(keyBase64, "base64");
  if (key.length !== 32)
    throw new LeerlusError("TOKEN_KEY_INVALID", "the token encryption key must be 32 bytes, base64");
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return [VERSION, iv.toString("base64"), cipher.getAuthTag().toString("base64"), body.toString("base64")].join(
        ":",
      );
    },
    decrypt(sealed) {
      const [version, iv, tag, body] = sealed.split(":");
      if (version !== VERSION || !iv || !tag || body === undefined) {
        throw new LeerlusError("TOKEN_SEALED_INVALID", "not a sealed token value");
      }
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64"));
      decipher.setAuthTag(Buffer.from(tag, "base64"));
      return Buffer.concat([decipher.update(Buffer.from(body, "base64")), decipher.final()]).toString("utf8");
    },
  };
}

/** Without TOKEN_ENCRYPTION_KEY (single workspace, nothing stored): a key derived from the app secret. */
export function deriveKeyBase64(secret: string, purpose: string): string {
  return createHmac("sha256", secret).update(purpose).digest("base64");
}
