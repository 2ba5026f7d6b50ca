import { loadContent } from "../content";
import { fold, fromWrongLayout } from "../features/urgent/fold";
import { UrgentMatcher } from "../features/urgent/matcher";

/**
 * `npm run urgent:try -- "message" ["message" …]`: what the urgent-word
 * matcher hears in each message (the folded form, the wrong-layout reading,
 * and the phrases that match), for whoever edits dialogs/urgent-words/.
 */
const matcher = new UrgentMatcher(loadContent().urgentWords);
for (const text of process.argv.slice(2)) {
  const layout = fromWrongLayout(text);
  console.log(`${JSON.stringify(text)}\n  folded: ${fold(text)}${layout ? `\n  as if typed on a Cyrillic layout: ${fold(layout)}` : ""}`);
  const found = matcher.find(text);
  console.log(found.length ? found.map((m) => `  → ${m.category}: ${m.phrase}`).join("\n") : "  → nothing");
}
