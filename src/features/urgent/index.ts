import type { BotContext } from "../../context";
import { when } from "../../routing";
import { sendEmergencyPanel } from "../help";

/**
 * Words that signal immediate danger are answered at once with the emergency
 * panel, whatever screen the person is on, before any feature can swallow the
 * message. Any state (a check in progress) is left as it was.
 */
export const urgent = when<BotContext>(
  (ctx) => {
    const text = ctx.message?.text ?? ctx.message?.caption ?? ctx.editedMessage?.text ?? ctx.editedMessage?.caption;
    return text !== undefined && !text.startsWith("/") && ctx.deps.urgent.matches(text);
  },
  async (ctx) => {
    ctx.session.urgent = true;
    ctx.deps.counters.bump("urgent_words", { lang: ctx.lang });
    await sendEmergencyPanel(ctx);
  },
);
