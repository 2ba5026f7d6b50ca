import { createCipheriv, createDecipheriv, createHmac, createSecretKey, hkdfSync, randomBytes, randomFillSync, type KeyObject } from "node:crypto";

/**
 * Random IVs come from a CSPRNG pool refilled 4 KiB at a time: the same
 * randomness as randomBytes(12) per value, without a call into the RNG for
 * every session write.
 */
class RandomPool {
  private pool = Buffer.alloc(4096);
  private offset = this.pool.length;

  take(size: number): Buffer {
    if (this.offset + size > this.pool.length) {
      this.pool = randomFillSync(Buffer.alloc(4096));
      this.offset = 0;
    }
    const out = Buffer.from(this.pool.subarray(this.offset, this.offset + size));
    this.offset += size;
    return out;
  }
}

/**
 * Everything we must keep is keyed by a pseudonym and sealed:
 *  - pseudonym = HMAC-SHA256(secret, chat id): the same chat always maps to the
 *    same key, but the key does not reveal the chat id without the secret;
 *  - sealed values = AES-256-GCM, with the storage key as associated data, so a
 *    value cannot be replayed under another person's key.
 * Two independent keys are derived from the one secret with HKDF.
 */
export class PrivacyKeys {
  private readonly hmacKey: KeyObject;
  private readonly sealKey: KeyObject;
  private readonly ivs = new RandomPool();

  constructor(secret: string) {
    const ikm = Buffer.from(secret, "utf8");
    this.hmacKey = createSecretKey(Buffer.from(hkdfSync("sha256", ikm, "helpline-bot", "pseudonym-v1", 32)));
    this.sealKey = createSecretKey(Buffer.from(hkdfSync("sha256", ikm, "helpline-bot", "seal-v1", 32)));
  }

  /** A random secret for a single process (memory store: nothing outlives it anyway). */
  static ephemeral(): PrivacyKeys {
    return new PrivacyKeys(randomBytes(48).toString("base64"));
  }

  /** 128-bit pseudonym, base64url (22 characters). */
  pseudonym(kind: "chat" | "user", id: number | string): string {
    return createHmac("sha256", this.hmacKey).update(`${kind}:${id}`).digest().subarray(0, 16).toString("base64url");
  }

  seal(plaintext: string, associatedData: string): Buffer {
    const iv = this.ivs.take(12);
    const cipher = createCipheriv("aes-256-gcm", this.sealKey, iv);
    cipher.setAAD(Buffer.from(associatedData, "utf8"));
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  /** Returns undefined for anything that was not sealed by us under this key. */
  open(sealed: Buffer, associatedData: string): string | undefined {
    if (sealed.length < 28) return undefined;
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.sealKey, sealed.subarray(0, 12));
      decipher.setAAD(Buffer.from(associatedData, "utf8"));
      decipher.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString("utf8");
    } catch {
      return undefined;
    }
  }
}
