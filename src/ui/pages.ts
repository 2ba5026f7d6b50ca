/**
 * Every screen fits a phone: at most this many characters as sent (the HTML
 * included), so a person never has to scroll to find the buttons.
 */
export const SCREEN_LIMIT = 700;

/** Room kept on each page for its page counter ("2 / 3"). */
const COUNTER_ROOM = 16;

/** Splits one block that is too long on its own: at line breaks, then between sentences. */
function splitBlock(block: string, limit: number): string[] {
  if (block.length <= limit) return [block];
  const lines = block.split("\n");
  const parts = lines.length > 1 ? lines : block.split(/(?<=[.!?…])\s+/);
  if (parts.length === 1) throw new Error(`a block of ${block.length} characters cannot be split under ${limit}`);
  const out: string[] = [];
  let current = "";
  for (const part of parts.flatMap((p) => splitBlock(p, limit))) {
    const joined = current ? `${current}${lines.length > 1 ? "\n" : " "}${part}` : part;
    if (joined.length > limit && current) {
      out.push(current);
      current = part;
    } else current = joined;
  }
  if (current) out.push(current);
  return out;
}

/**
 * Packs sections of blocks (paragraphs) into pages of at most `limit`
 * characters: each section starts a new page (so "what you can do" never hides
 * at the bottom of the signs), blocks are kept whole where they fit, and the
 * first block of a section (its heading) is repeated on the pages it spills to.
 */
export function paginate(sections: string[][], limit = SCREEN_LIMIT - COUNTER_ROOM): string[] {
  const pages: string[] = [];
  for (const section of sections.filter((s) => s.length)) {
    const [heading = "", ...rest] = section;
    let page = heading;
    for (const block of rest.flatMap((b) => splitBlock(b, limit - heading.length - 2))) {
      const joined = page ? `${page}\n\n${block}` : block;
      if (joined.length > limit && page !== heading) {
        pages.push(page);
        page = heading ? `${heading}\n\n${block}` : block;
      } else page = joined;
    }
    pages.push(page);
  }
  return pages;
}
