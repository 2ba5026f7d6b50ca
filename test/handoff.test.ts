import { Operator } from "../src/cli/local-telegram";
import { parseHandoffConfig } from "../src/features/handoff/config";
import type { Person } from "../src/cli/local-telegram";
import { finishCheck, harness, profile, type Harness } from "./helpers/harness";

const GROUP = -1001000000001;
const OTHER_GROUP = -1001000000099;
const OPERATOR = { id: 555001, first_name: "Olena", username: "olena_ops" };

async function setup(hours?: string, extra: Parameters<typeof harness>[0] = {}) {
  const h = await harness({ handoff: parseHandoffConfig(`*:${GROUP}`, hours, 10, 24, "en"), ...extra });
  return { h, handoff: h.deps.handoff!, op: new Operator(h.tg, GROUP, OPERATOR) };
}

const t = (h: Harness, key: string, lang = "en", opts?: Record<string, unknown>) => h.deps.i18n.getFixedT(lang)(key, opts);

async function connect(h: Harness, p: Person, lang = "en") {
  await h.handle(p.text("/start"));
  await h.handle(p.press(t(h, "button.talk", lang)));
  await h.handle(p.press(t(h, "handoff.connect", lang)));
  await h.deps.handoff!.drain(); // the topic and the card, made by the group's relay
  return h.deps.handoff!.cases.byPerson(h.deps.keys.pseudonym("chat", p.profile.id));
}

test("consent first: the person sees exactly what the worker will see, and the limits of confidentiality", async () => {
  const { h } = await setup();
  const p = h.person();
  await h.handle(p.text("/start riga2026-en"));
  await h.handle(p.press(t(h, "button.talk")));
  const screen = h.tg.lastBotMessage(p.profile.id)?.text ?? "";
  expect(screen).toMatch(/case code: <b>[A-Z2-9]{6}<\/b>/);
  expect(screen).toContain("riga2026");
  expect(screen).toContain(t(h, "handoff.confidentiality"));
  expect(h.buttons(p.profile.id)).toEqual([t(h, "handoff.connect"), t(h, "handoff.not_now"), t(h, "button.quick_exit")]);
  expect(h.tg.methods()).not.toContain("createForumTopic");
});

test("the full path: topic and card, take, relay both ways, a canned reply in Kazakh, close, retention deletion", async () => {
  const { h, handoff, op } = await setup();
  const p = h.person(profile("kk"));
  const rec = await connect(h, p, "kk");
  expect(rec?.state).toBe("waiting");
  const thread = rec!.thread!;
  const topic = h.tg.topics.get(GROUP)?.get(thread);
  expect(topic?.name).toBe(`#${rec!.code} · kk · waiting`);
  const card = h.tg.inTopic(GROUP, thread)[0];
  expect(card?.text).toContain(rec!.code);
  expect(card?.text).not.toMatch(new RegExp(`${p.profile.id}|${p.profile.first_name}`));
  expect(h.screen(p.profile.id)).toContain(t(h, "handoff.waiting", "kk", { code: rec!.code, position: 1 }).replace(/<\/?b>/g, ""));

  // Messages sent while waiting already reach the topic, copied (never forwarded) and protected.
  await h.handle(p.text("салем"));
  await handoff.drain();
  const copied = h.tg.inTopic(GROUP, thread).find((m) => m.copyOf);
  expect(copied).toMatchObject({ text: "салем", protect: true });
  expect(h.tg.methods()).not.toContain("forwardMessage");

  // An operator's message before taking: not sent.
  await h.handle(op.text("hello?", thread));
  expect(h.tg.messages(p.profile.id).some((m) => m.text === "hello?")).toBe(false);

  await h.handle(op.press(`v1:op:take:${rec!.code}`));
  expect(h.tg.topics.get(GROUP)?.get(thread)?.name).toBe(`#${rec!.code} · kk · taken`);
  expect(h.tg.lastBotMessage(p.profile.id)?.text).toContain(t(h, "handoff.joined", "kk"));

  await h.handle(op.text("Сәлеметсіз бе", thread));
  await h.handle(op.text("! internal note: sounds like a job abroad", thread));
  await h.handle(op.photo(thread));
  const toPerson = h.tg.visible(p.profile.id).filter((m) => m.copyOf).map((m) => m.text);
  expect(toPerson).toEqual(["Сәлеметсіз бе", "[photo]"]);

  // A photo and an album from the person.
  await h.handle(p.photo("caption"));
  // An album's items arrive as separate updates; they are sent once all are queued.
  await h.bot.handleUpdate(p.photo(undefined, "album1"));
  await h.handle(p.photo(undefined, "album1"));
  await handoff.drain();
  const albumCall = h.tg.calls.find((c) => c.method === "copyMessages");
  expect(albumCall?.payload).toMatchObject({ chat_id: GROUP, message_thread_id: thread, protect_content: true });
  expect((albumCall?.payload.message_ids as number[]).length).toBe(2);

  await h.handle(op.text("/say greeting", thread));
  const greeting = h.tg.lastBotMessage(p.profile.id)?.text;
  expect(greeting).toBe(t(h, "handoff.say.greeting", "kk"));
  expect(h.tg.inTopic(GROUP, thread).pop()?.text).toContain(t(h, "handoff.say.greeting", "en"));

  await h.handle(op.text("/close", thread));
  expect(h.tg.lastBotMessage(p.profile.id)?.text).toContain(t(h, "handoff.ended_by_worker", "kk"));
  expect(h.tg.topics.get(GROUP)?.get(thread)).toMatchObject({ closed: true, name: `#${rec!.code} · kk · closed` });
  expect(await handoff.cases.get(rec!.code)).toBeUndefined();

  await handoff.sweep(Date.now() + 23 * 3_600_000);
  expect(h.tg.topics.get(GROUP)?.get(thread)?.deleted).toBe(false);
  await handoff.sweep(Date.now() + 25 * 3_600_000);
  await handoff.drain();
  expect(h.tg.topics.get(GROUP)?.get(thread)?.deleted).toBe(true);

  const day = await h.deps.counters.day(h.deps.counters.today());
  // The group is named by its languages ("*": every language), never by its chat id.
  expect(day["case_opened|group=*|lang=kk|urgent=false"]).toBe(1);
  expect(day["case_taken|group=*|lang=kk"]).toBe(1);
  expect(day["case_closed|by=operator|group=*|lang=kk"]).toBe(1);
});

test("sharing the self-check result: shown to the person first, then on the card; declining erases it", async () => {
  const { h } = await setup();
  const p = h.person();
  await h.handle(p.text("/start"));
  await h.handle(p.press(t(h, "button.check")));
  await h.handle(p.press(t(h, "screening.start")));
  await h.handle(p.press(t(h, "screening.track.situation")));
  for (const o of ["UA", "18_24"]) await h.handle(p.press(t(h, `screening.option.${o}`)));
  await h.handle(p.press(t(h, "screening.answer.yes")));
  await finishCheck(h, p);
  await h.handle(p.press(t(h, "button.talk")));
  expect(h.buttons(p.profile.id)).toEqual(expect.arrayContaining([t(h, "handoff.share"), t(h, "handoff.no_share"), t(h, "handoff.not_now")]));
  await h.handle(p.press(t(h, "handoff.share")));
  const preview = h.tg.lastBotMessage(p.profile.id)?.text ?? "";
  expect(preview).toContain(t(h, "screening.q.deceived.sign"));
  await h.handle(p.press(t(h, "handoff.send_and_connect")));
  const rec = await h.deps.handoff!.cases.byPerson(h.deps.keys.pseudonym("chat", p.profile.id));
  expect(h.tg.inTopic(GROUP, rec!.thread!)[0]?.text).toContain(t(h, "screening.q.deceived.sign"));
  expect((await h.deps.sessions.read(h.deps.keys.pseudonym("chat", p.profile.id)))?.summary).toBeUndefined();
});

test("cancel while waiting closes the case and tells the operators", async () => {
  const { h } = await setup();
  const p = h.person();
  const rec = await connect(h, p);
  await h.handle(p.press(t(h, "handoff.cancel")));
  expect(h.screen(p.profile.id)).toContain(t(h, "handoff.cancelled"));
  expect(h.tg.inTopic(GROUP, rec!.thread!).map((m) => m.text)).toContain(t(h, "operator.person_left"));
  expect(await h.deps.handoff!.cases.get(rec!.code)).toBeUndefined();
});

test("outside working hours the person is told plainly when the team is next on shift, with the help lines", async () => {
  const { h } = await setup(`${GROUP}=Mon 00:00-00:01 UTC`);
  const p = h.person();
  await h.handle(p.text("/start"));
  await h.handle(p.press(t(h, "button.help")));
  await h.handle(p.press(t(h, "country.LV")));
  await h.handle(p.press(t(h, "button.menu")));
  await h.handle(p.press(t(h, "button.talk")));
  await h.handle(p.press(t(h, "handoff.connect")));
  const screen = h.screen(p.profile.id);
  expect(screen).toContain(t(h, "handoff.off_hours", "en", { when: "§" }).split("§")[0]);
  expect(screen).toMatch(/Monday.*\(UTC\)/);
  expect(screen).toContain("+371 28612120");
});

test("nobody takes the case within the timeout: the person is told once, with the lines, and may keep waiting", async () => {
  const { h, handoff } = await setup();
  const p = h.person();
  await connect(h, p);
  await handoff.sweep(Date.now() + 9 * 60_000);
  await handoff.drain();
  expect(h.tg.lastBotMessage(p.profile.id)?.text).not.toContain(t(h, "handoff.take_timeout"));
  await handoff.sweep(Date.now() + 11 * 60_000);
  await handoff.drain();
  expect(h.tg.lastBotMessage(p.profile.id)?.text).toContain(t(h, "handoff.take_timeout"));
  await handoff.sweep(Date.now() + 20 * 60_000);
  await handoff.drain();
  expect(h.tg.visible(p.profile.id).filter((m) => m.text.includes(t(h, "handoff.take_timeout"))).length).toBe(1);
  await h.handle(p.press(t(h, "handoff.keep_waiting")));
  expect((await handoff.cases.byPerson(h.deps.keys.pseudonym("chat", p.profile.id)))?.state).toBe("waiting");
});

test("quick exit during a case closes it and tells the operators", async () => {
  const { h } = await setup();
  const p = h.person();
  const rec = await connect(h, p);
  await h.handle(p.press(t(h, "button.quick_exit")));
  expect(h.tg.inTopic(GROUP, rec!.thread!).map((m) => m.text)).toContain(t(h, "operator.person_left"));
  expect(await h.deps.handoff!.cases.get(rec!.code)).toBeUndefined();
  expect(h.tg.visible(p.profile.id).map((m) => m.text)).toEqual([t(h, "exit.neutral")]);
});

test("quick exit deletes everything a hotline worker sent too: the joined notice, their messages, /say, the timeout notice", async () => {
  const { h, handoff, op } = await setup();
  const p = h.person(profile("ru"));
  const rec = await connect(h, p, "ru");
  await handoff.sweep(Date.now() + 11 * 60_000); // the take-timeout notice
  await h.handle(op.press(`v1:op:take:${rec!.code}`));
  await h.handle(op.text("Здравствуйте, я здесь", rec!.thread!));
  await h.handle(op.photo(rec!.thread!));
  await h.handle(op.text("/say ask_what_happened", rec!.thread!));
  await h.handle(p.text("они забрали паспорт"));
  const shown = h.tg.visible(p.profile.id);
  expect(shown.map((m) => m.text)).toEqual(expect.arrayContaining(["Здравствуйте, я здесь", t(h, "handoff.say.ask_what_happened", "ru")]));
  // Every message from the worker's side carries quick exit, as every screen does.
  for (const m of shown.filter((m) => m.from === "bot")) expect(m.keyboard?.flat().map((b) => b.text)).toContain(t(h, "button.quick_exit", "ru"));

  await h.handle(p.text("/exit"));
  expect(h.tg.visible(p.profile.id).map((m) => m.text)).toEqual([t(h, "exit.neutral", "ru")]);
  expect(await h.deps.kv.list(`hb:m:${h.deps.keys.pseudonym("chat", p.profile.id)}`)).toEqual([]);
});

test("the person blocking the bot closes the case", async () => {
  const { h, op } = await setup();
  const p = h.person();
  const rec = await connect(h, p);
  await h.handle(op.press(`v1:op:take:${rec!.code}`));
  h.tg.fail("copyMessage", 403, "Forbidden: bot was blocked by the user");
  await h.handle(op.text("are you there?", rec!.thread!));
  await h.deps.handoff!.drain();
  expect(h.tg.inTopic(GROUP, rec!.thread!).map((m) => m.text)).toContain(t(h, "operator.person_blocked"));
  expect(await h.deps.handoff!.cases.get(rec!.code)).toBeUndefined();
});

test("a 429 from the group delays the relay; the queue drains in order and loses nothing", async () => {
  const { h, handoff } = await setup();
  const p = h.person();
  const rec = await connect(h, p);
  h.tg.fail("copyMessage", 429, "Too Many Requests: retry after 1", { retry_after: 1, times: 1 });
  for (const text of ["one", "two", "three"]) await h.handle(p.text(text));
  await handoff.drain();
  expect(h.tg.inTopic(GROUP, rec!.thread!).filter((m) => m.copyOf).map((m) => m.text)).toEqual(["one", "two", "three"]);
});

test("a group that is not configured gets nothing and is left", async () => {
  const { h } = await setup();
  const outsider = new Operator(h.tg, OTHER_GROUP, OPERATOR);
  await h.handle(outsider.text("/cases"));
  expect(h.tg.methods()).toEqual(["leaveChat"]);
});

test("a non-member pressing Take is refused; forged or closed-case buttons act on nothing", async () => {
  const { h, handoff, op } = await setup();
  const p = h.person();
  const rec = await connect(h, p);
  h.tg.outsiders.add(OPERATOR.id);
  await h.handle(op.press(`v1:op:take:${rec!.code}`));
  expect((await handoff.cases.get(rec!.code))?.state).toBe("waiting");
  h.tg.outsiders.clear();
  await h.handle(op.press("v1:op:take:ZZZZZZ", rec!.thread));
  const q = h.person();
  const other = await connect(h, q);
  // The other case's button pressed in this case's topic: refused.
  await h.handle(op.press(`v1:op:take:${other!.code}`, rec!.thread));
  expect((await handoff.cases.get(other!.code))?.state).toBe("waiting");
  await h.handle(op.press(`v1:op:close:${rec!.code}`));
  await h.handle(op.press(`v1:op:take:${rec!.code}`, rec!.thread));
  expect(await handoff.cases.get(rec!.code)).toBeUndefined();
});

test("a case is marked urgent from earlier words only after the consent screen said so", async () => {
  const { h } = await setup();
  const calm = h.person();
  await h.handle(calm.text("/start"));
  await h.handle(calm.press(t(h, "button.talk")));
  expect(h.tg.lastBotMessage(calm.profile.id)?.text).not.toContain(t(h, "handoff.consent_urgent"));
  const worried = h.person();
  await h.handle(worried.text("/start"));
  await h.handle(worried.text("they took my passport"));
  await h.handle(worried.press(t(h, "button.talk")));
  expect(h.tg.lastBotMessage(worried.profile.id)?.text).toContain(t(h, "handoff.consent_urgent"));
  await h.handle(worried.press(t(h, "handoff.connect")));
  expect((await h.deps.handoff!.cases.byPerson(h.deps.keys.pseudonym("chat", worried.profile.id)))?.urgent).toBe(true);
});

test("/cases lists open cases, urgent first, with waiting time; /stats gives aggregate counts only", async () => {
  const { h, op } = await setup();
  const calm = h.person();
  await connect(h, calm);
  const worried = h.person();
  await h.handle(worried.text("they took my passport"));
  const urgentCase = await connect(h, worried);
  expect(urgentCase?.urgent).toBe(true);
  await h.handle(op.text("/cases"));
  const list = h.tg.visible(GROUP).pop()?.text ?? "";
  expect(list.indexOf(urgentCase!.code)).toBeLessThan(list.indexOf("waiting 0 min", list.indexOf(urgentCase!.code) + 1));
  expect(list.split("\n")[1]).toContain(`❗ ${urgentCase!.code}`);
  await h.handle(op.text("/stats"));
  expect(h.tg.visible(GROUP).pop()?.text).toContain("opened: 2");
});

test("edits from the person cannot be relayed, and they are told", async () => {
  const { h } = await setup();
  const p = h.person();
  await connect(h, p);
  await h.handle(p.edit(1, "changed"));
  expect(h.screen(p.profile.id)).toContain(t(h, "handoff.edit_not_passed"));
});

test("without an operators' group, 'talk to a person' shows the hotlines", async () => {
  const h = await harness();
  const p = h.person();
  await h.handle(p.text("/start"));
  await h.handle(p.press(t(h, "button.talk")));
  expect(h.screen(p.profile.id)).toContain("112");
  expect(h.tg.methods()).not.toContain("createForumTopic");
});

test("/stats also shows today's starts by campaign and language", async () => {
  const { h, op } = await setup();
  await h.handle(h.person().text("/start riga2026-lv"));
  await h.handle(h.person().text("/start riga2026-lv"));
  await h.handle(op.text("/stats"));
  expect(h.tg.visible(GROUP).pop()?.text).toContain("/start campaign=riga2026 · lang=lv: 2");
});

test("cancelling (from the waiting screen) once a worker has taken the case says the chat ended", async () => {
  const { h, op } = await setup();
  const p = h.person();
  const rec = await connect(h, p);
  await h.handle(op.press(`v1:op:take:${rec!.code}`));
  await h.handle(p.press(t(h, "handoff.cancel")));
  expect(h.screen(p.profile.id)).toContain(t(h, "handoff.ended_by_you"));
  expect(h.screen(p.profile.id)).not.toContain(t(h, "handoff.cancelled"));
});

test("if opening a case fails, the person is told and can try again at once", async () => {
  const { h, handoff } = await setup();
  const p = h.person();
  await h.handle(p.text("/start"));
  h.tg.fail("createForumTopic", 400, "Bad Request: not enough rights to create a topic");
  await h.handle(p.press(t(h, "button.talk")));
  await h.handle(p.press(t(h, "handoff.connect")));
  await handoff.drain();
  expect(h.tg.lastBotMessage(p.profile.id)?.text).toContain(t(h, "handoff.unavailable_now"));
  expect(await handoff.cases.byPerson(h.deps.keys.pseudonym("chat", p.profile.id))).toBeUndefined();
  await h.handle(p.press(t(h, "button.menu")));
  await h.handle(p.press(t(h, "button.talk")));
  await h.handle(p.press(t(h, "handoff.connect")));
  expect((await handoff.cases.byPerson(h.deps.keys.pseudonym("chat", p.profile.id)))?.state).toBe("waiting");
});

test("a case whose record expired leaves its group's queue", async () => {
  const { h, handoff } = await setup();
  const rec = await connect(h, h.person());
  await h.deps.kv.del(`hb:case:${rec!.code}`);
  expect(await handoff.cases.open(GROUP)).toEqual([]);
  expect(await h.deps.kv.zrange(handoff.cases.queueKey(GROUP))).toEqual([]);
});

test("one person flooding a case is slowed before the shared relay queue; urgent words and albums still pass", async () => {
  const { h, handoff } = await setup(undefined, { floodLimit: 5 });
  const p = h.person();
  const rec = await connect(h, p); // /start, talk, connect: 3 of the 5
  for (let i = 0; i < 10; i++) await h.handle(p.text(`spam ${i}`));
  await h.handle(p.text("they took my passport"));
  for (let i = 0; i < 8; i++) await h.handle(p.photo(undefined, "evidence"));
  await handoff.drain();
  const relayed = h.tg.inTopic(GROUP, rec!.thread!).filter((m) => m.copyOf).map((m) => m.text);
  expect(relayed.filter((x) => x.startsWith("spam"))).toEqual(["spam 0", "spam 1"]);
  expect(relayed).toContain("they took my passport");
  expect(relayed.filter((x) => x === "[photo]")).toHaveLength(8);
  expect(h.tg.visible(p.profile.id).some((m) => m.text === t(h, "fallback.slow_down"))).toBe(true);
});

// ── the figures a hotline manager asks for ───────────────────────────────────

/** Moves a case's clock back, as if it had been opened (or taken) that long ago. */
async function backdate(h: Harness, code: string, field: "createdAt" | "takenAt", ms: number) {
  const rec = (await h.deps.handoff!.cases.get(code))!;
  await h.deps.handoff!.cases.save({ ...rec, [field]: Date.now() - ms });
}

async function statsText(h: Harness, op: Operator) {
  await h.handle(op.text("/stats"));
  return h.tg.visible(GROUP).pop()?.text ?? "";
}

type Sample = { value: number; labels: Record<string, string | number | undefined>; metricName?: string };

/** One histogram's samples for a label set: cumulative count per bound, and its _count. */
async function histogram(h: Harness, name: string, labels: Record<string, string>) {
  const values = (await h.deps.metrics.registry.getSingleMetric(name)!.get()).values as Sample[];
  const mine = values.filter((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x));
  const buckets = Object.fromEntries(mine.filter((v) => v.metricName === `${name}_bucket`).map((v) => [String(v.labels.le), v.value]));
  return { buckets, count: mine.find((v) => v.metricName === `${name}_count`)?.value };
}

test("time to take and to first reply: in /stats as median and p90 (≤ N min), and in the /metrics histograms", async () => {
  const { h, op } = await setup();
  const p = h.person();
  const rec = (await connect(h, p))!;
  await backdate(h, rec.code, "createdAt", 4 * 60_000 + 5_000); // waited 4 min 5 s: within the "≤ 5 min" bucket
  await h.handle(op.press(`v1:op:take:${rec.code}`));
  await backdate(h, rec.code, "takenAt", 90_000); // the worker writes 1.5 min after taking: "≤ 2 min"
  // A /say reply is a worker's reply too; the first one counts, once.
  await h.handle(op.text("/say greeting", rec.thread));
  await h.handle(op.text("How can I help?", rec.thread));
  expect((await h.deps.handoff!.cases.get(rec.code))?.firstReplyAt).toBeDefined();

  const stats = await statsText(h, op);
  expect(stats).toContain("Time until taken (cases: 1): median ≤ 5 min, 90th percentile ≤ 5 min.");
  expect(stats).toContain("Time to first reply once taken (cases: 1): median ≤ 2 min, 90th percentile ≤ 2 min.");

  const take = await histogram(h, "helpline_case_time_to_take_seconds", { group: "*", lang: "en" });
  expect(take.count).toBe(1);
  expect(take.buckets["180"]).toBe(0);
  expect(take.buckets["300"]).toBe(1);
  const reply = await histogram(h, "helpline_case_time_to_first_reply_seconds", { group: "*", lang: "en" });
  expect(reply.count).toBe(1);
  expect(reply.buckets["60"]).toBe(0);
  expect(reply.buckets["120"]).toBe(1);
});

test("a second, slower case moves the p90, not the median; a case nobody has answered yet has no first reply", async () => {
  const { h, op } = await setup();
  for (const minutes of [1, 2, 40]) {
    const rec = (await connect(h, h.person()))!;
    await backdate(h, rec.code, "createdAt", minutes * 60_000 - 5_000);
    await h.handle(op.press(`v1:op:take:${rec.code}`));
  }
  const stats = await statsText(h, op);
  expect(stats).toContain("Time until taken (cases: 3): median ≤ 2 min, 90th percentile ≤ 45 min.");
  expect(stats).not.toContain("First reply after taking");
});

test("a person who leaves before anyone takes the case counts as abandoned; after a take they do not", async () => {
  const { h, handoff, op } = await setup();
  const cancels = h.person();
  await connect(h, cancels);
  await h.handle(cancels.press(t(h, "handoff.cancel")));
  // Told nobody took it within the timeout, then quick exit: abandoned after the timeout notice.
  const exits = h.person();
  await connect(h, exits);
  await handoff.sweep(Date.now() + 11 * 60_000);
  await h.handle(exits.text("/exit"));
  // Taken, then the person ends the chat: closed by the person, not abandoned.
  const talks = h.person();
  const taken = (await connect(h, talks))!;
  await h.handle(op.press(`v1:op:take:${taken.code}`));
  await h.handle(talks.text("/end"));
  // A worker closing a case nobody took (a test message, a duplicate) is not abandonment either.
  const spam = (await connect(h, h.person()))!;
  await h.handle(op.press(`v1:op:close:${spam.code}`));

  const day = await h.deps.counters.day(h.deps.counters.today());
  expect(day["case_abandoned|by=person|group=*|lang=en|timed_out=false"]).toBe(1);
  expect(day["case_abandoned|by=exit|group=*|lang=en|timed_out=true"]).toBe(1);
  expect(Object.keys(day).filter((k) => k.startsWith("case_abandoned|"))).toHaveLength(2);
  const stats = await statsText(h, op);
  expect(stats).toContain("Closed by the person: 2, by an operator: 1, via Quick exit: 1, by blocking the bot: 0.");
  expect(stats).toContain("Stopped waiting before the case was taken: 2 (of these, after the timeout notice: 1).");
  const abandoned = (await h.deps.metrics.registry.getSingleMetric("helpline_case_abandoned_total")!.get()).values;
  expect(abandoned.reduce((sum, v) => sum + v.value, 0)).toBe(2);
});

test("blocking the bot while waiting counts as abandoned", async () => {
  const { h, op } = await setup();
  const p = h.person();
  await connect(h, p);
  await h.handle(p.blocksBot());
  expect(await statsText(h, op)).toContain("Stopped waiting before the case was taken: 1");
  const day = await h.deps.counters.day(h.deps.counters.today());
  expect(day["case_abandoned|by=blocked|group=*|lang=en|timed_out=false"]).toBe(1);
});

test("asking for a person while nobody is on shift counts as outside hours; within hours it does not", async () => {
  const off = await setup(`${GROUP}=Mon 00:00-00:01 UTC`);
  await connect(off.h, off.h.person());
  expect(await statsText(off.h, off.op)).toContain("Asked for an operator outside opening hours: 1.");
  const offDay = await off.h.deps.counters.day(off.h.deps.counters.today());
  expect(offDay["case_outside_hours|group=*|lang=en"]).toBe(1);

  const on = await setup();
  await connect(on.h, on.h.person());
  expect(await statsText(on.h, on.op)).toContain("Asked for an operator outside opening hours: 0.");
});

test("/stats counts the group's own cases, by language when it serves several; labels carry no id or code", async () => {
  const h = await harness({ handoff: parseHandoffConfig(`kk,ru:${GROUP};*:${OTHER_GROUP}`, undefined, 10, 24, "en") });
  const op = new Operator(h.tg, GROUP, OPERATOR);
  const kk = h.person(profile("kk"));
  const ru = h.person(profile("ru"));
  const en = h.person(profile("en"));
  const kkCase = (await connect(h, kk, "kk"))!;
  await connect(h, ru, "ru");
  await connect(h, en); // the other group's
  await h.handle(op.press(`v1:op:take:${kkCase.code}`));
  await h.handle(ru.press(t(h, "handoff.cancel", "ru")));
  await h.handle(op.text("/stats"));
  const stats = h.tg.visible(GROUP).pop()?.text ?? "";
  const tk = h.deps.i18n.getFixedT("kk"); // the group's language
  expect(stats).toContain(tk("operator.stats", { opened: 2, taken: 1, closed: 1, timed_out: 0 }));
  expect(stats).toContain(tk("operator.stats_by_language", { list: "kk 1/1/0 · ru 1/0/1" }));

  const day = await h.deps.counters.day(h.deps.counters.today());
  expect(day["case_opened|group=kk+ru|lang=kk|urgent=false"]).toBe(1);
  expect(day["case_opened|group=*|lang=en|urgent=false"]).toBe(1);
  const exported = await h.deps.metrics.registry.metrics();
  expect(exported).toContain('helpline_case_opened_total{group="kk+ru",lang="ru",urgent="false"} 1');
  for (const secret of [GROUP, OTHER_GROUP, kk.profile.id, ru.profile.id, en.profile.id, kkCase.code]) expect(exported).not.toContain(String(secret));
});
