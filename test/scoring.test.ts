import { loadContent } from "../src/content";
import { score } from "../src/features/screening/scoring";

const content = loadContent();
const track = (id: string) => {
  const t = content.screening.tracks.find((x) => x.id === id);
  if (!t) throw new Error(id);
  return t;
};
const situation = (answers: Record<string, string>) => score(content.screening, track("situation"), { age: "18_24", ...answers });
const offer = (answers: Record<string, string>) => score(content.screening, track("offer"), { age: "18_24", offer_type: "job_home", ...answers });

describe("current situation (track A) — research §1.5.2", () => {
  test("worked example: A3 yes + A2 not sure = 3 → some warning signs", () => {
    const r = situation({ A3: "yes", A2: "unsure" });
    expect(r.score).toBe(3);
    expect(r.tier).toBe(2);
  });
  test("worked example: A5 yes alone → tier 2 (a yes in the control group)", () => {
    expect(situation({ A5: "yes" }).tier).toBe(2);
  });
  test("worked example: A5 + A8 + A1 yes → tier 3 by rule (b)", () => {
    expect(situation({ A5: "yes", A8: "yes", A1: "yes" }).tier).toBe(3);
  });
  test("worked example: A7 yes alone → tier 3 by rule (a)", () => {
    expect(situation({ A7: "yes" }).tier).toBe(3);
  });
  test.each(["A6", "A7", "A9", "A10", "A11"])("KEY item %s: yes → tier 3, not sure → tier 2", (id) => {
    expect(situation({ [id]: "yes" }).tier).toBe(3);
    expect(situation({ [id]: "unsure" }).tier).toBe(2);
  });
  test("rule (b) needs two control yeses and one exploitation yes", () => {
    expect(situation({ A5: "yes", A1: "yes" }).tier).toBe(2); // one C + one E
    expect(situation({ A5: "yes", A8: "yes" }).tier).toBe(2); // two C, no E (score 5)
    expect(situation({ A5: "yes", A8: "yes", A4: "unsure" }).tier).toBe(2); // an unsure E does not count
    expect(situation({ A5: "yes", A8: "yes", A4: "yes" }).tier).toBe(3);
  });
  test("rule (c): a score of 10 is tier 3, 9.5 is not", () => {
    // E items only (no C yes, no KEY): A1 2 + A2 2 + A3 2 + A4 1 + A12 2 = 9; unsure adds half.
    expect(situation({ A1: "yes", A2: "yes", A3: "yes", A4: "yes", A12: "yes" }).score).toBe(9);
    expect(situation({ A1: "yes", A2: "yes", A3: "yes", A4: "yes", A12: "yes" }).tier).toBe(2);
    const ten = situation({ A1: "yes", A2: "yes", A3: "yes", A4: "yes", A12: "yes", A5: "unsure" });
    expect(ten.score).toBe(10);
    expect(ten.tier).toBe(3);
  });
  test("tier 1 boundary: a score of 2 with no control yes and no unsure KEY", () => {
    expect(situation({ A1: "yes" }).tier).toBe(1);
    expect(situation({ A4: "yes", A3: "unsure" }).score).toBe(2);
    expect(situation({ A4: "yes", A3: "unsure" }).tier).toBe(1);
    expect(situation({ A4: "yes", A3: "yes" }).tier).toBe(2); // 3
  });
  test("no, skip and nothing answered score nothing", () => {
    const r = situation({ A1: "no", A2: "skip" });
    expect(r).toMatchObject({ tier: 1, score: 0, yes: [], unsure: [] });
  });
  test("child rules: A12 yes is tier 3 under 18, tier 1 for an adult", () => {
    expect(situation({ A12: "yes" }).tier).toBe(1);
    expect(situation({ age: "14_17", A12: "yes" }).tier).toBe(3);
    expect(situation({ age: "under14", A12: "yes" }).tier).toBe(3);
    expect(situation({ age: "14_17", A12: "unsure" }).tier).toBe(2);
    expect(situation({ age: "14_17", A12: "yes" }).child).toBe(true);
  });
  test("more than half skipped is reported honestly; exactly half is not", () => {
    const scored = ["A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "A9", "A10", "A11", "A12"];
    const skip = (n: number) => Object.fromEntries(scored.map((id, i) => [id, i < n ? "skip" : "no"]));
    expect(situation(skip(6)).skippedMany).toBe(false);
    expect(situation(skip(7)).skippedMany).toBe(true);
  });
  test("the result names the answers that led to it, yes and not sure apart, in question order", () => {
    const r = situation({ A7: "yes", A2: "yes", A9: "unsure" });
    expect(r.yes).toEqual(["A2", "A7"]);
    expect(r.unsure).toEqual(["A9"]);
  });
});

describe("an offer (track B) — research §1.5.3", () => {
  test.each(["B8", "B9", "B10"])("KEY item %s: yes → tier 3, not sure → tier 2", (id) => {
    expect(offer({ [id]: "yes" }).tier).toBe(3);
    expect(offer({ [id]: "unsure" }).tier).toBe(2);
  });
  test("rule (b): debt before starting and irregular status together", () => {
    expect(offer({ B5: "yes", B6: "yes" }).tier).toBe(3);
    expect(offer({ B5: "yes", B6: "unsure" }).tier).toBe(2);
  });
  test("rule (c): a score of 8 is tier 3, 7.5 is tier 2", () => {
    expect(offer({ B1: "yes", B2: "yes", B3: "yes", B4: "yes", B7: "yes" }).score).toBe(8);
    expect(offer({ B1: "yes", B2: "yes", B3: "yes", B4: "yes", B7: "yes" }).tier).toBe(3);
    expect(offer({ B1: "unsure", B2: "yes", B3: "yes", B4: "yes", B7: "yes" }).score).toBe(7.5);
    expect(offer({ B1: "unsure", B2: "yes", B3: "yes", B4: "yes", B7: "yes" }).tier).toBe(2);
  });
  test("rule (d), child rules: under 18 with a new partner's offer, or a job abroad with pressure", () => {
    expect(offer({ age: "14_17", B11: "yes" }).tier).toBe(3);
    expect(offer({ B11: "yes" }).tier).toBe(1);
    expect(offer({ age: "14_17", offer_type: "job_abroad", B4: "yes" }).tier).toBe(3);
    expect(offer({ age: "14_17", offer_type: "job_home", B4: "yes" }).tier).toBe(1);
    expect(offer({ age: "18_24", offer_type: "job_abroad", B1: "yes" }).tier).toBe(1);
  });
  test("tier 2 at a score of 3; tier 1 at 2", () => {
    expect(offer({ B1: "yes", B7: "yes" }).tier).toBe(1);
    expect(offer({ B1: "yes", B2: "yes" }).tier).toBe(2);
  });
});
