import { InlineKeyboard } from "grammy";
import type { BotContext } from "../../context";
import type { ScreeningSummary } from "../../store/session";
import { cb } from "../../ui/callback-data";
import { paginate } from "../../ui/pages";
import { menuButton, show } from "../../ui/screen";
import { helpLines } from "../directory/format";

/**
 * The result of a check, in pages that fit a phone: what it found and why ·
 * what you said · what you can do · where to get help. It is rendered from
 * the session's summary (tier, rules, the ids of the signs), so the pages can
 * be turned back and forth until the session ends.
 */
export function resultPages(ctx: BotContext, s: ScreeningSummary): string[] {
  const t = ctx.t;
  const sign = (id: string) => t(`screening.q.${id}.sign`);
  const list = (ids: string[]) => ids.map((id) => `• ${sign(id)}`).join("\n");
  const found = s.yes.length > 0;
  // Lines that assume harm ("none of this is your fault") only when the person reported a sign.
  const why = s.rules.map((r) => t(`screening.why.${r.id}`, { signs: r.signs.map(sign).join("; ") }));
  const first = [
    t(`screening.result.title.${s.track}_${s.tier}`),
    found ? t("screening.result.thanks") : t("screening.result.thanks_no_signs"),
    ...(why.length ? why : [t(s.skippedMany ? "screening.result.many_skipped" : "screening.result.no_signs")]),
  ];
  const said = [
    t("screening.result.said_heading"),
    ...(s.yes.length ? [`${t("screening.result.based_on")}\n${list(s.yes)}`] : []),
    ...(s.unsure.length ? [`${t("screening.result.based_on_unsure")}\n${list(s.unsure)}`] : []),
  ];
  const next = [
    t("screening.result.next_heading"),
    t(`screening.result.next.${s.track}_${s.tier}`),
    ...(s.unsureMany ? [t("screening.result.many_unsure")] : []),
    ...(s.skippedMany && why.length ? [t("screening.result.many_skipped")] : []),
  ];
  const help = [t("screening.result.help_heading"), ...helpLines(ctx, { purpose: "trafficking", child: s.child, room: Infinity }), t("screening.result.not_diagnosis")];
  return paginate([first, said.length > 1 ? said : [], next, help]);
}

/** Shows page `page` (0-based) of the result, with the ways on. */
export async function showResultPage(ctx: BotContext, s: ScreeningSummary, page: number): Promise<void> {
  const pages = resultPages(ctx, s);
  const n = Math.min(Math.max(page, 0), pages.length - 1);
  const keyboard = new InlineKeyboard();
  if (n > 0) keyboard.text(ctx.t("button.back"), cb("scr", "res", n - 1));
  if (n < pages.length - 1) keyboard.text(ctx.t("button.next"), cb("scr", "res", n + 1));
  keyboard.row().text(ctx.t("button.talk"), cb("talk")).row();
  keyboard.text(ctx.t(`topics.${s.readMore}.title`), cb("topic", s.readMore, 1)).row();
  await show(ctx, `${pages[n]}\n\n<i>${ctx.t("topics.page", { n: n + 1, total: pages.length })}</i>`, menuButton(ctx, keyboard));
}
