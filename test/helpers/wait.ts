/**
 * Waits until `condition` holds, checking every 50 ms. The deadline only guards
 * against a hang: a slow or busy machine just takes longer, it never fails.
 */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await condition()); ) {
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs / 1000} s for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
