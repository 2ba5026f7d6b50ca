/**
 * A weekly working schedule in one time zone, e.g.
 *   "Mon-Fri 09:00-18:00, Sat 10:00-14:00 Europe/Riga"   or   "24/7".
 * Times are wall-clock times in that zone (daylight saving included).
 */
const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;

interface Window {
  days: Set<number>; // 0 = Monday
  from: number; // minutes after midnight
  to: number; // exclusive; 1440 = midnight
}

export class Schedule {
  private readonly parts: Intl.DateTimeFormat;

  private constructor(
    readonly timeZone: string,
    private readonly windows: Window[] | "always",
  ) {
    this.parts = new Intl.DateTimeFormat("en-GB", { timeZone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  }

  static always(): Schedule {
    return new Schedule("UTC", "always");
  }

  /** Throws a readable error for anything it cannot read. */
  static parse(spec: string): Schedule {
    const text = spec.trim();
    if (text === "24/7") return Schedule.always();
    const match = /^(.*\S)\s+([A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)+|UTC)$/.exec(text);
    if (!match) throw new Error(`"${spec}": expected e.g. "Mon-Fri 09:00-18:00 Europe/Riga"`);
    const [, body = "", timeZone = ""] = match;
    try {
      new Intl.DateTimeFormat("en", { timeZone });
    } catch {
      throw new Error(`"${spec}": unknown time zone ${timeZone}`);
    }
    const windows = body.split(",").map((part) => {
      const m = /^\s*(Mon|Tue|Wed|Thu|Fri|Sat|Sun)(?:-(Mon|Tue|Wed|Thu|Fri|Sat|Sun))?\s+(\d{2}):(\d{2})-(\d{2}):(\d{2})\s*$/.exec(part);
      if (!m) throw new Error(`"${part.trim()}": expected e.g. "Mon-Fri 09:00-18:00"`);
      const [, d1 = "Mon", d2, h1, m1, h2, m2] = m;
      const start = DAYS.indexOf(d1 as (typeof DAYS)[number]);
      const end = d2 ? DAYS.indexOf(d2 as (typeof DAYS)[number]) : start;
      const days = new Set<number>();
      for (let d = start; ; d = (d + 1) % 7) {
        days.add(d);
        if (d === end) break;
      }
      const from = Number(h1) * 60 + Number(m1);
      const to = Number(h2) * 60 + Number(m2);
      if (from >= to || to > 1440) throw new Error(`"${part.trim()}": the end must come after the start, within one day`);
      return { days, from, to };
    });
    return new Schedule(timeZone, windows);
  }

  private local(at: Date): { day: number; minute: number } {
    const parts = Object.fromEntries(this.parts.formatToParts(at).map((p) => [p.type, p.value]));
    return { day: DAYS.indexOf(parts.weekday as (typeof DAYS)[number]), minute: Number(parts.hour) * 60 + Number(parts.minute) };
  }

  isOpen(at: Date): boolean {
    if (this.windows === "always") return true;
    const { day, minute } = this.local(at);
    return this.windows.some((w) => w.days.has(day) && minute >= w.from && minute < w.to);
  }

  /** The next moment the team is on shift (at most a week ahead), or undefined if never. */
  nextOpening(at: Date): Date | undefined {
    if (this.windows === "always" || this.isOpen(at)) return at;
    const MINUTE = 60_000;
    const end = at.getTime() + 8 * 86_400_000;
    // Jump from window start to window start in local time, not minute by minute.
    for (let t = Math.ceil(at.getTime() / MINUTE) * MINUTE; t <= end; ) {
      if (this.isOpen(new Date(t))) {
        // A jump across a daylight-saving change lands up to an hour late: step back to the first open minute.
        for (let back = 0; back < 120 && this.isOpen(new Date(t - MINUTE)); back++) t -= MINUTE;
        return new Date(t);
      }
      const ahead = this.minutesToNextStart(this.local(new Date(t)));
      if (ahead === undefined) return undefined;
      t += ahead * MINUTE;
    }
    return undefined;
  }

  /** Local minutes from (day, minute) to the next start of a window. */
  private minutesToNextStart({ day, minute }: { day: number; minute: number }): number | undefined {
    let best: number | undefined;
    for (const w of this.windows === "always" ? [] : this.windows) {
      for (let d = 0; d <= 7; d++) {
        const ahead = d * 1440 + w.from - minute;
        if (ahead > 0 && w.days.has((day + d) % 7) && (best === undefined || ahead < best)) best = ahead;
      }
    }
    return best;
  }
}
