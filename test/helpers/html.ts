/**
 * Problems Telegram's HTML parser would reject (only the tags the bot uses are allowed).
 * Shared by the locale files' check and the checks of sent messages.
 */
export function htmlProblems(text: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  // Entities: Telegram accepts only the named &lt; &gt; &amp; &quot; (so &nbsp; &apos; … are refused) but any numeric one;
  // of those, only &#39; and &#x2F; are allowed here: the ones the interpolation escaper (src/i18n) emits.
  for (const m of text.matchAll(/<(\/?)([a-z]+)>|<|&(?!amp;|lt;|gt;|quot;|#39;|#x2F;)/g)) {
    const [, closing, tag] = m;
    if (!tag || !["b", "i"].includes(tag)) problems.push(`unexpected ${m[0]}`);
    else if (!closing) stack.push(tag);
    else if (stack.pop() !== tag) problems.push(`unbalanced </${tag}>`);
  }
  if (stack.length) problems.push(`unclosed <${stack.join(",")}>`);
  if (text.length > 4096) problems.push(`too long: ${text.length}`);
  if (!text.trim()) problems.push("empty");
  return problems;
}
