// The installation's Ed25519 key for its lesson feeds: made once, on first use, and kept in
// the database with the private key sealed like Slack tokens (AES-256-GCM, token-cipher.ts,
// under TOKEN_ENCRYPTION_KEY or a key derived from LEERLUS_SECRET). The public key is
// published as a JWK (RFC 8037); its id and fingerprint is the RFC 7638 thumbprint.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import type { TokenCipher } from "../persistence/token-cipher.ts";
import type { LessonFeedStore } from "../ports/lesson-feed.ts";

export type Ed25519Jwk = { kty: "OKP"; crv: "Ed25519"; x: string };

export type FeedSigningKey = {
  keyId: string;
  jwk: Ed25519Jwk & { kid: string; alg: "ed25519"; use: "sig" };
  privateKey: KeyObject;
};

/** RFC 7638 thumbprint: SHA-256 over the required members in lexical order, base64url. */
export function jwkThumbprint(x: string): string {
  return createHash("sha256")
    .update(JSON.stringify({ crv: "Ed25519", kty: "OKP", x }))
    .digest("base64url");
}

export function publicKeyFromJwk(x: string): KeyObject {
  return createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x }, format: "jwk" });
}

export function createFeedKeyring(store: LessonFeedStore, cipher: TokenCipher): () => Promise<FeedSigningKey> {
  let loaded: Promise<FeedSigningKey> | undefined;
  async function load(): Promise<FeedSigningKey> {
    let stored = await store.signingKey();
    if (!stored) {
      const pair = generateKeyPairSync("ed25519");
      const x = (pair.publicKey.export({ format: "jwk" }) as { x: string }).x;
      const pem = pair.privateKey.export({ format: "pem", type: "pkcs8" }).toString();
      // Two processes starting at once may both make one: the first stored wins for both.
      stored = await store.saveSigningKey({ publicKey: x, privateKeySealed: cipher.encrypt(pem) });
    }
    const keyId = jwkThumbprint(stored.publicKey);
    return {
      keyId,
      jwk: { kty: "OKP", crv: "Ed25519", x: stored.publicKey, kid: keyId, alg: "ed25519", use: "sig" },
      privateKey: createPrivateKey(cipher.decrypt(stored.privateKeySealed)),
    };
  }
  return () => {
    loaded ??= load().catch((error: unknown) => {
      loaded = undefined;
      throw error;
    });
    return loaded;
  };
}
