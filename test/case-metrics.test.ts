import { Operator } from "../src/cli/local-telegram";
import { bucketOf, formatBound, quantileBound } from "../src/features/handoff/case-metrics";
import { parseHandoffConfig } from "../src/features/handoff/config";
import type { KeyValueStore } from "../src/store/kv";
import { MemoryStore } from "../src/store/memory";
import { describeWithRedis, harness, testRedis, type Harness } from "./helpers/harness";

const GROUP = -1001000000001;
const OPERATOR = { id: 555001, first_name: "Olena" };

test("a wait falls in the smallest bucket it is within, past an hour in +Inf", () => {
  expect(bucketOf(0)).toBe("10");
  expect(bucketOf(10)).toBe("10");
  expect(bucketOf(10.5)).toBe("30");
  expect(bucketOf(245)).toBe("300");
  expect(bucketOf(3600)).toBe("3600");
  expect(bucketOf(3601)).toBe("+Inf");
});

test("median and p90 from buckets: the upper bound of the bucket the rank falls in", () => {
  // 10 waits: 5 within a minute, 4 within 5 min, 1 past the hour.
  const buckets = new Map([
    [60, 5],
    [300, 4],
    [Infinity, 1],
  ]);
  expect(quantileBound(buckets, 0.5)).toBe(60);
  expect(quantileBound(buckets, 0.9)).toBe(300);
  expect(quantileBound(buckets, 0.95)).toBe(Infinity);
  expect(quantileBound(new Map([[600, 1]]), 0.5)).toBe(600);
  expect(quantileBound(new Map(), 0.5)).toBeUndefined();
  expect(quantileBound(new Map([[60, 0]]), 0.5)).toBeUndefined();
});

test("bounds read as '≤ N min' (seconds under a minute, '>' past the last bound), in the reader's language", () => {
  expect(formatBound(300, "en")).toBe("≤ 5 min");
  expect(formatBound(30, "en")).toBe("≤ 30 sec");
  expect(formatBound(Infinity, "en")).toBe("> 60 min");
  expect(formatBound(300, "uk")).toBe("≤ 5 хв");
  expect(formatBound(300, "az")).toBe("≤ 5 dəq");
});

/** Two bot instances (or one before and after a restart) on one store: /stats reads the store, not a process's memory. */
async function acrossInstances(kv: KeyValueStore): Promise<void> {
  const secret = "x".repeat(40); // both instances open the same sealed case records
  const instance = async () => {
    const h = await harness({ kv, secret, handoff: parseHandoffConfig(`*:${GROUP}`, undefined, 10, 24, "en") });
    return { h, op: new Operator(h.tg, GROUP, OPERATOR) };
  };
  const a = await instance();
  const t = (h: Harness, key: string) => h.deps.i18n.getFixedT("en")(key);
  const p = a.h.person();
  await a.h.handle(p.text("/start"));
  await a.h.handle(p.press(t(a.h, "button.talk")));
  await a.h.handle(p.press(t(a.h, "handoff.connect")));
  const rec = (await a.h.deps.handoff!.cases.byPerson(a.h.deps.keys.pseudonym("chat", p.profile.id)))!;
  await a.h.deps.handoff!.cases.save({ ...rec, createdAt: Date.now() - 8 * 60_000 });
  await a.h.handle(a.op.press(`v1:op:take:${rec.code}`));
  await a.h.deps.counters.flush(); // as at shutdown (and within a second anyway)

  const b = await instance(); // a fresh process: its prom-client histograms are empty
  const inB = (await b.h.deps.metrics.registry.getSingleMetric("helpline_case_time_to_take_seconds")!.get()).values as { value: number; metricName?: string }[];
  expect(inB.some((v) => v.metricName?.endsWith("_count"))).toBe(true); // declared at zero
  expect(inB.filter((v) => v.metricName?.endsWith("_count")).reduce((sum, v) => sum + v.value, 0)).toBe(0);
  await b.h.handle(b.op.text("/stats"));
  expect(b.h.tg.visible(GROUP).pop()?.text).toContain("Time until taken (cases: 1): median ≤ 10 min, 90th percentile ≤ 10 min.");
}

test("/stats is right across instances and restarts: the waits' buckets live in the store's day hash", () => acrossInstances(new MemoryStore()));

describeWithRedis("on Redis", () => {
  test("/stats is right across instances sharing one Redis", async () => {
    const redis = (await testRedis(15))!;
    try {
      await acrossInstances(redis);
    } finally {
      await redis.close();
    }
  });
});
