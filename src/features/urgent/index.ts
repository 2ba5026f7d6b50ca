import type { Purpose } from "../../content/directory";
import type { BotContext } from "../../context";
import { when } from "../../routing";
import { prioritise } from "../../telegram/limits";
import { sendHelpPanel } from "../help";
import type { UrgentCategory } from "./matcher";

/** When a message signals more than one thing, the most specific answer leads. */
const PRIORITY: UrgentCategory[] = ["self_harm", "sexual_violence", "danger"];

/** The text of a message or of its caption, edited or not. */
export function textOf(ctx: BotContext): string | undefined {
  const m = ctx.message ?? ctx.editedMessage;
  return m?.text ?? m?.caption;
}

/**
 * A message that says the person is in danger, has suffered sexual violence,
 * or thinks of suicide or self-harm is answered at once, whatever screen they
 * are on and before any feature can swallow it: one warm line that
 * acknowledges what was said, then the help for their country that fits it.
 * Any state (a check in progress) is left as it was. Only aggregate counts are
 * kept, per category and language; never the text.
 */
export const urgent = when<BotContext>(
  (ctx) => {
    const text = textOf(ctx);
    return text !== undefined && !text.startsWith("/") && ctx.deps.urgent.matches(text);
  },
  (ctx) => answerUrgent(ctx, textOf(ctx) ?? ""),
);

/** The answer to an urgent message (also while a case is open and no worker has taken it yet). */
export async function answerUrgent(ctx: BotContext, text: string): Promise<void> {
  const found = ctx.deps.urgent.find(text).map((m) => m.category);
  const primary = PRIORITY.find((c) => found.includes(c)) ?? "danger";
  ctx.session.urgent = true;
  prioritise(ctx.api); // under a saturated limit, this answer goes first

  for (const category of found) ctx.deps.counters.bump("urgent_words", { lang: ctx.lang, category });
  await sendHelpPanel(ctx, primary satisfies Purpose, ctx.t(`urgent.ack.${primary}`));
}
