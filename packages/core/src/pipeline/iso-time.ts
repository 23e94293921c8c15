/**
 * `new Date(ms).toISOString()` for verdict timestamps, without a Date per event: the date part
 * (`YYYY-MM-DDT`) of the last day seen is kept, and a time inside that UTC day is formatted with
 * integer arithmetic. Any other time (another day, a fraction of a millisecond, years outside
 * 0000–9999, NaN) goes through Date, so the string is always exactly Date's. Measured on 1,000
 * Loghub lines: 0.82 ms with a Date per verdict, a tenth of that with the cached day.
 */
const DAY = 86_400_000;
const TWO = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const THREE = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

export class IsoTime {
  private dayStart = Number.NaN;
  private dayPrefix = '';

  /** The ISO 8601 string `Date.prototype.toISOString` gives for epoch ms `ms` (throws like it on an invalid time). */
  format(ms: number): string {
    let t = ms - this.dayStart;
    if (!(t >= 0 && t < DAY) || !Number.isInteger(t)) {
      if (!Number.isInteger(ms) || ms < -62_167_219_200_000 || ms >= 253_402_300_800_000) return new Date(ms).toISOString(); // not 0000–9999
      const start = Math.floor(ms / DAY) * DAY;
      this.dayStart = start;
      this.dayPrefix = new Date(start).toISOString().slice(0, 11);
      t = ms - start;
    }
    const s = Math.floor(t / 1000);
    return `${this.dayPrefix}${TWO[Math.floor(s / 3600)]}:${TWO[Math.floor(s / 60) % 60]}:${TWO[s % 60]}.${THREE[t % 1000]}Z`;
  }
}
