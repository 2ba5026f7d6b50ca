import { loadContent } from "../src/content";
import type { YesNoQuestion } from "../src/content/screening";
import { score } from "../src/features/screening/scoring";

/**
 * The table of expected tiers. The rules and weights come from
 * dialogs/screening.json as shipped; each row is an answer pattern and the
 * tier (and the rules named as the reason) a person must get. Change a weight
 * or a rule, and this table shows at once which results change.
 */
const content = loadContent();
const track = (id: string) => content.screening.tracks.find((t) => t.id === id)!;
const scoredIds = (id: string) => track(id).questions.filter((q): q is YesNoQuestion => q.kind === "yes_no").map((q) => q.id);
const all = (id: string, answer: string) => Object.fromEntries(scoredIds(id).map((q) => [q, answer]));

type Row = [description: string, answers: Record<string, string>, tier: 1 | 2 | 3, rules: string[]];

const ADULT = { country: "LV", age: "25plus" };
const TEEN = { country: "KZ", age: "14_17" };

const situation: Row[] = [
  ["all no", { ...ADULT, ...all("situation", "no") }, 1, []],
  ["all yes", { ...ADULT, ...all("situation", "yes") }, 3, ["key_sign", "debt_trap", "control_and_exploitation", "many_signs"]],
  ["all not sure: unsure is not harm, so never the top tier", { ...ADULT, ...all("situation", "unsure") }, 2, ["some_signs", "unsure_key"]],
  ["all skipped", { ...ADULT, ...all("situation", "skip") }, 1, []],
  ["nothing answered at all", {}, 1, []],
  ["KEY alone: someone keeps the passport", { ...ADULT, id_kept: "yes" }, 3, ["key_sign"]],
  ["KEY alone: afraid to leave (QYIT)", { ...ADULT, afraid_leave: "yes" }, 3, ["key_sign"]],
  ["KEY alone: a place hard to leave (QYIT)", { ...ADULT, cant_leave: "yes" }, 3, ["key_sign"]],
  ["KEY alone: threats", { ...ADULT, threats: "yes" }, 3, ["key_sign"]],
  ["KEY alone: hurt", { ...ADULT, hurt: "yes" }, 3, ["key_sign"]],
  ["KEY alone: forced into something sexual", { ...ADULT, sex_forced: "yes" }, 3, ["key_sign"]],
  ["KEY not sure: passport", { ...ADULT, id_kept: "unsure" }, 2, ["unsure_key"]],
  ["sexual exchange, adult (QYIT): never the lowest tier", { ...ADULT, ...all("situation", "no"), sex_exchange: "yes" }, 2, ["qyit_sign"]],
  ["sexual exchange, 14–17: exploitation by definition", { ...TEEN, sex_exchange: "yes" }, 3, ["key_sign"]],
  ["sexual exchange, under 14", { country: "KZ", age: "under14", sex_exchange: "yes" }, 3, ["key_sign"]],
  ["sexual exchange not sure, 14–17", { ...TEEN, sex_exchange: "unsure" }, 2, ["unsure_key"]],
  ["owes money alone: a control sign", { ...ADULT, owes: "yes" }, 2, ["control_sign"]],
  ["a debt that cannot be paid off alone", { ...ADULT, debt_trap: "yes" }, 2, ["control_sign"]],
  ["owes whoever arranged it, and the debt cannot be paid off", { ...ADULT, owes: "yes", debt_trap: "yes" }, 3, ["debt_trap"]],
  ["two control signs and one of unfair work", { ...ADULT, fines: "yes", phone: "yes", long_hours: "yes" }, 3, ["control_and_exploitation"]],
  ["two control signs, unfair work only not sure", { ...ADULT, fines: "yes", phone: "yes", long_hours: "unsure" }, 2, ["control_sign", "some_signs"]],
  ["one sign of unfair work", { ...ADULT, deceived: "yes" }, 1, []],
  ["two signs of unfair work (score 4)", { ...ADULT, deceived: "yes", pay_kept: "yes" }, 2, ["some_signs"]],
  ["unfair work only, score 7: no control, no KEY", { ...ADULT, deceived: "yes", pay_kept: "yes", long_hours: "yes", housing: "yes" }, 2, ["some_signs"]],
  ["one yes and every other answer not sure", { ...ADULT, ...all("situation", "unsure"), deceived: "yes" }, 3, ["many_signs"]],
  ["many skipped, one sign", { ...ADULT, ...all("situation", "skip"), housing: "yes" }, 1, []],
];

const offer: Row[] = [
  ["all no", { ...ADULT, offer_type: "job_abroad", ...all("offer", "no") }, 1, []],
  ["all yes", { ...ADULT, offer_type: "job_abroad", ...all("offer", "yes") }, 3, ["key_sign", "debt_no_permit", "many_signs"]],
  ["all not sure", { ...ADULT, offer_type: "job_abroad", ...all("offer", "unsure") }, 2, ["some_signs", "unsure_key"]],
  ["all skipped", { ...ADULT, offer_type: "job_abroad", ...all("offer", "skip") }, 1, []],
  ["KEY alone: hand over the passport", { ...ADULT, hand_over: "yes" }, 3, ["key_sign"]],
  ["KEY alone: not free to go out", { ...ADULT, locked: "yes" }, 3, ["key_sign"]],
  ["KEY alone: intimate photos asked", { ...ADULT, photos: "yes" }, 3, ["key_sign"]],
  ["KEY alone: 'meeting clients'", { ...ADULT, clients: "yes" }, 3, ["key_sign"]],
  ["KEY not sure: 'meeting clients'", { ...ADULT, clients: "unsure" }, 2, ["unsure_key"]],
  ["fee before starting and no work permit", { ...ADULT, fee_first: "yes", no_permit: "yes" }, 3, ["debt_no_permit"]],
  ["fee before starting, permit not sure", { ...ADULT, fee_first: "yes", no_permit: "unsure" }, 2, ["some_signs"]],
  ["child rule: 14–17, a new partner wants them to move", { ...TEEN, offer_type: "relationship", partner_move: "yes" }, 3, ["child_partner"]],
  ["the same for an adult", { ...ADULT, offer_type: "relationship", partner_move: "yes" }, 1, []],
  ["child rule: 14–17, a job abroad, rushed", { ...TEEN, offer_type: "job_abroad", rushed: "yes" }, 3, ["child_abroad"]],
  ["14–17, a job at home, rushed", { ...TEEN, offer_type: "job_home", rushed: "yes" }, 1, []],
  ["an adult, a job abroad, an online recruiter", { ...ADULT, offer_type: "job_abroad", online_only: "yes" }, 1, []],
  ["two small signs (score 3)", { ...ADULT, online_only: "yes", pay_high: "yes" }, 2, ["some_signs"]],
  ["two weak signs (score 2)", { ...ADULT, online_only: "yes", no_contract: "yes" }, 1, []],
  ["one yes and every other answer not sure", { ...ADULT, offer_type: "job_abroad", ...all("offer", "unsure"), pay_high: "yes" }, 3, ["many_signs"]],
];

describe.each([
  ["situation", situation],
  ["offer", offer],
])("track %s", (id, rows) => {
  test.each(rows)("%s → tier %#", (_description, answers, tier, rules) => {
    const result = score(content.screening, track(id), answers);
    expect({ tier: result.tier, rules: result.rules.map((r) => r.id) }).toEqual({ tier, rules });
  });
});

describe("every rule in dialogs/screening.json is exercised by the table", () => {
  test.each(content.screening.tracks.map((t) => [t.id, t.rules.map((r) => r.id)] as const))("%s", (id, ids) => {
    const rows = id === "situation" ? situation : offer;
    const named = new Set(rows.flatMap(([, answers]) => score(content.screening, track(id), answers).rules.map((r) => r.id)));
    // Rules of a lower tier only show when no higher one holds; the table must reach each at least once.
    const lower = new Set(rows.flatMap(([, answers]) => {
      const r = score(content.screening, track(id), answers);
      return track(id).rules.filter((rule) => rule.tier === r.tier).map((rule) => rule.id).filter((x) => r.rules.some((h) => h.id === x));
    }));
    expect(ids.filter((x) => !named.has(x) && !lower.has(x))).toEqual([]);
  });
});

describe("what a result keeps", () => {
  test("the signs behind a rule are the questions that made it hold", () => {
    const r = score(content.screening, track("situation"), { ...ADULT, id_kept: "yes", threats: "yes", deceived: "yes" });
    expect(r.rules.find((x) => x.id === "key_sign")?.signs).toEqual(["id_kept", "threats"]);
    expect(r.yes).toEqual(["deceived", "id_kept", "threats"]);
  });

  test("more than half skipped is said; exactly half is not", () => {
    const ids = scoredIds("situation");
    const skip = (n: number) => Object.fromEntries(ids.map((q, i) => [q, i < n ? "skip" : "no"]));
    expect(score(content.screening, track("situation"), skip(ids.length / 2)).skippedMany).toBe(false);
    expect(score(content.screening, track("situation"), skip(ids.length / 2 + 1)).skippedMany).toBe(true);
  });

  test("half or more not sure is said, so the result can offer a person to talk it through", () => {
    const ids = scoredIds("offer");
    const unsure = Object.fromEntries(ids.map((q, i) => [q, i * 2 < ids.length ? "unsure" : "no"]));
    expect(score(content.screening, track("offer"), unsure).unsureMany).toBe(true);
  });
});
