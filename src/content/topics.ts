import { z } from "zod";

/**
 * The awareness topics. Text lives in locales under topics.<id>.title, .p1….p4
 * and the optional .save; adding a topic touches dialogs/ and locales/ only.
 */
export const topicsSchema = z.object({
  topics: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z_]{2,32}$/),
        screens: z.number().int().min(1).max(9),
        save: z.boolean().default(false),
      }),
    )
    .min(1)
    .refine((ts) => new Set(ts.map((t) => t.id)).size === ts.length, "duplicate topic id"),
});

export type Topics = z.infer<typeof topicsSchema>;
export type Topic = Topics["topics"][number];

export function topicKeys(topic: Topic): string[] {
  const base = `topics.${topic.id}`;
  return [
    `${base}.title`,
    ...Array.from({ length: topic.screens }, (_, i) => `${base}.p${i + 1}`),
    ...(topic.save ? [`${base}.save`] : []),
  ];
}
