import { z } from "zod";

const questionId = z.string().regex(/^[A-Za-z0-9_]{1,16}$/);

/** The tier rules' small condition language (see dialogs/screening.json). */
export type Condition =
  | { any: Condition[] }
  | { all: Condition[] }
  | { yes_on_key: true }
  | { unsure_on_key: true }
  | { yes_on: string[] }
  | { yes_in_group: string; at_least: number }
  | { score_at_least: number }
  | { yes_at_least: number }
  | { child: true }
  | { choice: string; in: string[] };

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ any: z.array(conditionSchema).min(1) }),
    z.strictObject({ all: z.array(conditionSchema).min(1) }),
    z.strictObject({ yes_on_key: z.literal(true) }),
    z.strictObject({ unsure_on_key: z.literal(true) }),
    z.strictObject({ yes_on: z.array(questionId).min(1) }),
    z.strictObject({ yes_in_group: z.string(), at_least: z.number().int().min(1) }),
    z.strictObject({ score_at_least: z.number().positive() }),
    z.strictObject({ yes_at_least: z.number().int().min(1) }),
    z.strictObject({ child: z.literal(true) }),
    z.strictObject({ choice: questionId, in: z.array(z.string()).min(1) }),
  ]),
);

const provenance = {
  indicator: z.string().min(3),
  source: z.string().min(3),
  /** The item of a validated instrument (QYIT, the TVIT short form) the question covers, by domain. */
  maps_to: z.array(z.strictObject({ instrument: z.enum(["QYIT", "TVIT-16"]), domain: z.string().min(3) })).optional(),
};

const yesNoQuestion = z.strictObject({
  id: questionId,
  kind: z.literal("yes_no"),
  weight: z.number().positive(),
  group: z.string().optional(),
  key: z.boolean().optional(),
  /** After a yes, the urgent follow-up: "Are you in danger right now?" */
  urgent: z.boolean().optional(),
  /** Offer a pause before this (more sensitive) question. */
  pause_before: z.boolean().optional(),
  /** Overrides that apply under the child rules (age band under 18). */
  child: z.strictObject({ weight: z.number().positive().optional(), key: z.boolean().optional() }).optional(),
  ...provenance,
});

const choiceQuestion = z.strictObject({
  id: questionId,
  kind: z.literal("choice"),
  options: z.array(z.string().regex(/^[A-Za-z0-9_]{1,24}$/)).min(2),
  /** Copies the answer into the session (country picks the help shown). */
  sets: z.enum(["country", "offer_type"]).optional(),
  /** Options that switch on the child rules. */
  child_options: z.array(z.string()).optional(),
  /** Option → track to switch to (e.g. "already there" → current situation). */
  switch: z.record(z.string(), z.string()).optional(),
  ...provenance,
});

export const questionSchema = z.discriminatedUnion("kind", [yesNoQuestion, choiceQuestion]);

export const screeningSchema = z
  .object({
    version: z.number().int(),
    points: z.strictObject({ yes: z.number(), unsure: z.number(), no: z.number(), skip: z.number() }),
    /** "I'm worried about someone else" opens this topic instead of a scored track. */
    someone_else_topic: z.string(),
    tracks: z
      .array(
        z.object({
          id: z.string().regex(/^[a-z_]{1,32}$/),
          /** The topic offered with the result ("read more"). */
          read_more_topic: z.string(),
          /** A better topic for some answers to a choice question (e.g. a relationship offer → grooming). */
          read_more_by_choice: z.record(z.string(), z.string()).optional(),
          questions: z.array(questionSchema).min(1),
          /** Each rule's reason is screening.why.<id> in locales; the result names every rule of its tier that holds. */
          rules: z.array(z.strictObject({ id: z.string().regex(/^[a-z_]{2,32}$/), tier: z.union([z.literal(2), z.literal(3)]), when: conditionSchema })),
        }),
      )
      .min(1),
  })
  .superRefine((doc, ctx) => {
    const trackIds = new Set(doc.tracks.map((t) => t.id));
    doc.tracks.forEach((track, ti) => {
      const ids = track.questions.map((q) => q.id);
      if (new Set(ids).size !== ids.length) ctx.addIssue({ code: "custom", path: ["tracks", ti], message: "duplicate question id" });
      for (const q of track.questions) {
        if (q.kind === "choice")
          for (const target of Object.values(q.switch ?? {}))
            if (!trackIds.has(target)) ctx.addIssue({ code: "custom", path: ["tracks", ti, q.id], message: `switches to unknown track ${target}` });
      }
      const walk = (c: Condition): void => {
        if ("any" in c) c.any.forEach(walk);
        else if ("all" in c) c.all.forEach(walk);
        else if ("yes_on" in c)
          c.yes_on.forEach((id) => ids.includes(id) || ctx.addIssue({ code: "custom", path: ["tracks", ti], message: `rule names unknown question ${id}` }));
        else if ("choice" in c && !ids.includes(c.choice))
          ctx.addIssue({ code: "custom", path: ["tracks", ti], message: `rule names unknown question ${c.choice}` });
      };
      track.rules.forEach((r) => walk(r.when));
      const ruleIds = track.rules.map((r) => r.id);
      if (new Set(ruleIds).size !== ruleIds.length) ctx.addIssue({ code: "custom", path: ["tracks", ti], message: "duplicate rule id" });
    });
  });

export type Screening = z.infer<typeof screeningSchema>;
export type Track = Screening["tracks"][number];
export type Question = z.infer<typeof questionSchema>;
export type YesNoQuestion = z.infer<typeof yesNoQuestion>;
export type ChoiceQuestion = z.infer<typeof choiceQuestion>;
