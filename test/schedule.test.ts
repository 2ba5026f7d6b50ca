import { Schedule } from "../src/features/handoff/schedule";

describe("working hours", () => {
  const riga = Schedule.parse("Mon-Fri 09:00-18:00, Sat 10:07-10:20 Europe/Riga");

  test("open and closed in the team's own time zone", () => {
    expect(riga.isOpen(new Date("2026-11-23T07:00:00Z"))).toBe(true); // Mon 09:00 in Riga (UTC+2)
    expect(riga.isOpen(new Date("2026-11-23T06:59:00Z"))).toBe(false);
    expect(riga.isOpen(new Date("2026-11-23T16:00:00Z"))).toBe(false); // 18:00: closed
  });

  test("the next opening is the exact minute a window starts, however far ahead", () => {
    const during = new Date("2026-11-23T10:00:00Z");
    expect(riga.nextOpening(during)).toEqual(during);
    expect(riga.nextOpening(new Date("2026-11-27T16:30:00Z"))).toEqual(new Date("2026-11-28T08:07:00Z")); // Fri evening → Sat 10:07
    expect(riga.nextOpening(new Date("2026-11-28T08:20:00Z"))).toEqual(new Date("2026-11-30T07:00:00Z")); // Sat → Mon 09:00
    expect(riga.nextOpening(new Date("2026-11-23T06:58:30Z"))).toEqual(new Date("2026-11-23T07:00:00Z"));
  });

  test("across a daylight-saving change the opening is still 09:00 local", () => {
    const weekdays = Schedule.parse("Mon-Fri 09:00-18:00 Europe/Riga");
    // Clocks go forward on Sunday 29 March 2026: Monday 09:00 is 06:00 UTC (UTC+3), Friday's 18:00 was 16:00 UTC.
    expect(weekdays.nextOpening(new Date("2026-03-27T16:30:00Z"))).toEqual(new Date("2026-03-30T06:00:00Z"));
    // And back on Sunday 25 October 2026: Monday 09:00 is 07:00 UTC again.
    expect(weekdays.nextOpening(new Date("2026-10-23T15:30:00Z"))).toEqual(new Date("2026-10-26T07:00:00Z"));
  });

  test("always open at once; a window that ends before it starts is refused at start-up", () => {
    const now = new Date();
    expect(Schedule.always().nextOpening(now)).toEqual(now);
    expect(() => Schedule.parse("Mon 10:00-09:00 Europe/Riga")).toThrow();
  });
});
