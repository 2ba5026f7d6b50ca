import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../../context";
import { cb } from "../../ui/callback-data";
import { menuButton, send } from "../../ui/screen";
import { emergencyPanel } from "../directory/format";

/** The emergency panel plus a way to the full directory and the menu. */
export async function sendEmergencyPanel(ctx: BotContext, lead?: string): Promise<void> {
  const text = [lead, emergencyPanel(ctx)].filter(Boolean).join("\n\n");
  await send(ctx, text, menuButton(ctx, new InlineKeyboard().text(ctx.t("button.help"), cb("dir")).row()));
}

export const help = new Composer<BotContext>();
help.command("help", async (ctx) => {
  await sendEmergencyPanel(ctx);
  await send(ctx, ctx.t("help.text"), menuButton(ctx));
});
