/**
 * Callback data is a small versioned codec: "v1:<feature>:<args…>", at most
 * 64 bytes (Telegram's limit). Handlers match it with anchored regular
 * expressions; anything that does not match is a stale or forged button and
 * reaches the "out of date" answer in features/fallback.
 */
export const CALLBACK_VERSION = "v1";

export function cb(...parts: (string | number)[]): string {
  const data = [CALLBACK_VERSION, ...parts].join(":");
  if (Buffer.byteLength(data) > 64) throw new Error(`callback data too long: ${parts[0]}`);
  return data;
}
