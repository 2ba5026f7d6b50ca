import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { z } from "zod";
import { campaignsSchema, type Campaigns } from "./campaigns";
import { directorySchema, type Directory } from "./directory";
import { screeningSchema, type Screening } from "./screening";
import { topicsSchema, type Topics } from "./topics";
import { loadUrgentWords, type UrgentWords } from "./urgent-words";

export interface Content {
  directory: Directory;
  topics: Topics;
  screening: Screening;
  urgentWords: UrgentWords;
  campaigns: Campaigns;
}

export const DIALOGS_DIR = join(__dirname, "..", "..", "dialogs");

function load<S extends z.ZodType>(dir: string, file: string, schema: S): z.infer<S> {
  const raw: unknown = JSON.parse(readFileSync(join(dir, file), "utf8"));
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`dialogs/${file} is not valid:\n${problems}`);
  }
  return parsed.data;
}

/** dialogs/ is read once per process (the files do not change while it runs; tests build many bots). */
const loaded = new Map<string, Content>();

/** Loads and validates everything in dialogs/; a broken file stops the start with a readable message. */
export function loadContent(dir = DIALOGS_DIR): Content {
  const cached = loaded.get(dir);
  if (cached) return cached;
  const content: Content = {
    directory: load(dir, "directory.json", directorySchema),
    topics: load(dir, "topics.json", topicsSchema),
    screening: load(dir, "screening.json", screeningSchema),
    urgentWords: loadUrgentWords(dir),
    campaigns: load(dir, "campaigns.json", campaignsSchema),
  };
  // The check points to topics by id: a typo would turn its "read more" button into a stale-button answer.
  const topicIds = new Set(content.topics.topics.map((t) => t.id));
  const named = [
    content.screening.someone_else_topic,
    ...content.screening.tracks.flatMap((t) => [t.read_more_topic, ...Object.values(t.read_more_by_choice ?? {})]),
  ];
  const unknown = named.filter((id) => !topicIds.has(id));
  if (unknown.length) throw new Error(`dialogs/screening.json names topics that dialogs/topics.json lacks: ${[...new Set(unknown)].join(", ")}`);
  loaded.set(dir, content);
  return content;
}
