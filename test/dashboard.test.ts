import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Operator } from "../src/cli/local-telegram";
import { parseHandoffConfig } from "../src/features/handoff/config";
import { harness, type Harness } from "./helpers/harness";

/**
 * The Grafana dashboard in monitoring/ names only metrics the bot exports:
 * a panel asking for a metric that was renamed (or never existed) would show
 * "No data" forever, and nobody would notice until a manager asks.
 */
const ROOT = join(__dirname, "..");
const DASHBOARD = join(ROOT, "monitoring/grafana/dashboards/helpline.json");
const GROUP = -1001000000001;

/** PromQL's words that are not metric names (functions and aggregations are told apart by the "(" after them). */
const KEYWORDS = new Set(["and", "or", "unless", "bool", "offset", "inf", "nan"]);

/** The metric names a PromQL expression reads. */
export function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, "") // strings
    .replace(/\{[^}]*\}/g, "") // label matchers
    .replace(/\[[^\]]*\]/g, "") // ranges
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, "") // label lists
    .replace(/\$\{[^}]*\}|\$\w+/g, ""); // Grafana's variables
  const names = new Set<string>();
  for (const m of bare.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const after = bare.slice(m.index! + m[0].length);
    if (/^\s*\(/.test(after) || KEYWORDS.has(m[0].toLowerCase())) continue;
    names.add(m[0]);
  }
  return [...names];
}

/** Every PromQL expression of the dashboard: each panel's targets (rows' panels too) and the variables' queries. */
function expressions(dashboard: unknown): { where: string; expr: string }[] {
  const found: { where: string; expr: string }[] = [];
  const walk = (node: unknown, where: string) => {
    if (Array.isArray(node)) return node.forEach((n) => walk(n, where));
    if (!node || typeof node !== "object") return;
    const obj = node as Record<string, unknown>;
    const here = typeof obj.title === "string" ? obj.title : where;
    if (typeof obj.expr === "string") found.push({ where: here, expr: obj.expr });
    for (const value of Object.values(obj)) walk(value, here);
  };
  const d = dashboard as { panels: unknown; templating: { list: { name: string; definition?: string }[] } };
  walk(d.panels, "panels");
  for (const v of d.templating.list) {
    // label_values(metric, label): the metric is the first argument.
    const metric = /label_values\(\s*([A-Za-z_:][A-Za-z0-9_:]*)\s*,/.exec(v.definition ?? "")?.[1];
    if (metric) found.push({ where: `variable ${v.name}`, expr: metric });
  }
  return found;
}

/** What /metrics exports: each metric's name, and a histogram's _bucket, _sum and _count. */
async function exported(h: Harness): Promise<Set<string>> {
  const names = new Set<string>();
  for (const m of await h.deps.metrics.registry.getMetricsAsJSON()) {
    names.add(m.name);
    if (String(m.type) === "histogram") for (const suffix of ["_bucket", "_sum", "_count"]) names.add(`${m.name}${suffix}`);
  }
  return names;
}

/** One sample's value (labels in any order). */
async function sample(h: Harness, metric: string, series: string, labels: Record<string, string>): Promise<number | undefined> {
  const values = (await h.deps.metrics.registry.getSingleMetric(metric)!.get()).values as { value: number; labels: Record<string, unknown>; metricName?: string }[];
  const same = (v: (typeof values)[number]) => Object.keys(v.labels).filter((k) => k !== "le").length === Object.keys(labels).length && Object.entries(labels).every(([k, x]) => v.labels[k] === x);
  return values.find((v) => (v.metricName ?? metric) === series && same(v))?.value;
}

const unknownIn = (names: Set<string>) =>
  expressions(JSON.parse(readFileSync(DASHBOARD, "utf8")))
    .flatMap(({ where, expr }) => metricNames(expr).filter((n) => !names.has(n)).map((n) => `${where}: ${n}`));

const bot = () => harness({ handoff: parseHandoffConfig(`kk,ru:${GROUP};*:-1001000000002`, undefined, 10, 24, "en") });

test("the name reader finds metric names and nothing else", () => {
  expect(metricNames('histogram_quantile(0.9, sum by (le) (rate(helpline_x_bucket{group=~"$group",le!="1"}[$__rate_interval])))')).toEqual(["helpline_x_bucket"]);
  expect(metricNames("sum(increase(a_total[1h])) / clamp_min(sum(increase(b_total[$__range])), 1) and on(lang) up")).toEqual(["a_total", "b_total", "up"]);
});

test("the dashboard has panels for cases and for the bot, with PromQL in each", () => {
  const all = expressions(JSON.parse(readFileSync(DASHBOARD, "utf8")));
  const names = new Set(all.flatMap(({ expr }) => metricNames(expr)));
  for (const name of [
    "helpline_case_opened_total",
    "helpline_case_taken_total",
    "helpline_case_closed_total",
    "helpline_case_abandoned_total",
    "helpline_case_outside_hours_total",
    "helpline_case_time_to_take_seconds_bucket",
    "helpline_case_time_to_first_reply_seconds_bucket",
    "helpline_updates_total",
    "helpline_errors_total",
    "helpline_update_seconds_bucket",
    "helpline_telegram_calls_total",
  ]) {
    expect(names).toContain(name);
  }
  expect(readFileSync(join(ROOT, "monitoring/grafana/provisioning/datasources/prometheus.yml"), "utf8")).toContain("uid: prometheus");
});

test("a fresh instance already exports every metric the dashboard reads (the case metrics at zero)", async () => {
  const h = await bot();
  expect(unknownIn(await exported(h))).toEqual([]);
  expect(await sample(h, "helpline_case_opened_total", "helpline_case_opened_total", { group: "kk+ru", lang: "kk", urgent: "false" })).toBe(0);
  expect(await sample(h, "helpline_case_abandoned_total", "helpline_case_abandoned_total", { by: "exit", group: "*", lang: "lv", timed_out: "true" })).toBe(0);
  expect(await sample(h, "helpline_case_time_to_take_seconds", "helpline_case_time_to_take_seconds_count", { group: "*", lang: "en" })).toBe(0);
});

test("after a case went through open, take, first reply and close, every metric a panel names is one the bot exports", async () => {
  const h = await bot();
  const t = h.deps.i18n.getFixedT("kk");
  const p = h.person({ id: 424242, first_name: "P", language_code: "kk" });
  const op = new Operator(h.tg, GROUP, { id: 555001, first_name: "Olena" });
  await h.handle(p.text("/start"));
  await h.handle(p.press(t("button.talk")));
  await h.handle(p.press(t("handoff.connect")));
  const rec = (await h.deps.handoff!.cases.byPerson(h.deps.keys.pseudonym("chat", p.profile.id)))!;
  await h.handle(op.press(`v1:op:take:${rec.code}`));
  await h.handle(op.text("Сәлеметсіз бе", rec.thread));
  await h.handle(op.text("/close", rec.thread));
  expect(await h.deps.handoff!.cases.get(rec.code)).toBeUndefined();

  const names = await exported(h);
  expect(unknownIn(names)).toEqual([]);
  // The check itself: a panel naming a metric the bot does not export is caught.
  expect(metricNames("sum(rate(helpline_case_answered_total[5m]))").filter((n) => !names.has(n))).toEqual(["helpline_case_answered_total"]);
  expect(await sample(h, "helpline_case_time_to_first_reply_seconds", "helpline_case_time_to_first_reply_seconds_count", { group: "kk+ru", lang: "kk" })).toBe(1);
  expect(await sample(h, "helpline_case_closed_total", "helpline_case_closed_total", { by: "operator", group: "kk+ru", lang: "kk" })).toBe(1);
});
