import type { Transformer } from "grammy";
import { prioritise, throttle } from "../src/telegram/limits";

/** Calls go through the throttler's transformers to a fake Telegram that records their order. */
function throttled(perSecond: number) {
  const order: string[] = [];
  const telegram = (async (method: string) => {
    order.push(method);
    return { ok: true, result: true };
  }) as unknown as Parameters<Transformer>[0];
  const [inner, outer] = throttle({ secondMs: 10, perSecond, groupIntervalMs: 30, personIntervalMs: 10, albumWindowMs: 0 }, (_m, p) => p.chat_id === -1001);
  const call = (method: string, payload: Record<string, unknown>) =>
    outer!((m, p, s) => inner!(telegram, m, p, s), method as never, payload as never, undefined);
  return { order, call };
}

test("under a saturated global limit, an urgent answer goes before the relay, and the relay before the rest", async () => {
  const { order, call } = throttled(1);
  const calls = [1, 2, 3, 4].map((chat) => call(`menu${chat}`, { chat_id: chat, text: "menu" }));
  calls.push(call("relay", { chat_id: -1001, text: "copy" }));
  // An urgent answer marks its payloads through the context's own Api.
  let mark: Transformer | undefined;
  prioritise({ config: { use: (t: Transformer) => (mark = t) } });
  const urgentPayload = { chat_id: 9, text: "help lines" };
  calls.push(mark!((m, p, s) => call(m, p as Record<string, unknown>), "urgent" as never, urgentPayload as never, undefined) as Promise<never>);
  await Promise.all(calls);
  // The first call took the only slot at once; then priority decides.
  expect(order).toEqual(["menu1", "urgent", "relay", "menu2", "menu3", "menu4"]);
});

test("calls that are not messages (answering a button) are not queued", async () => {
  const { order, call } = throttled(1);
  await Promise.all([call("sendMessage", { chat_id: 1, text: "a" }), call("answerCallbackQuery", { callback_query_id: "x" }), call("sendMessage", { chat_id: 2, text: "b" })]);
  expect(order.indexOf("answerCallbackQuery")).toBeLessThan(order.lastIndexOf("sendMessage"));
});
