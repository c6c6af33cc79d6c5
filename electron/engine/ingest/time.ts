/** Helpers every parser shares for wall-clock times (`YYYY-MM-DD HH:MM:SS`, no zone). */

const p2 = (n: number): string => (n < 10 ? '0' + n : String(n));

/** Formats a wall-clock time; returns null when any field is out of range (e.g. 2023-02-30). */
export function wallTime(y: number, mo: number, d: number, h: number, mi: number, s = 0): string | null {
  if (!(y >= 1800 && y <= 2200 && mo >= 1 && mo <= 12 && h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s <= 59)) {
    return null;
  }
  if (d < 1 || d > daysInMonth(y, mo)) return null;
  return `${y}-${p2(mo)}-${p2(d)} ${p2(h)}:${p2(mi)}:${p2(s)}`;
}

export function daysInMonth(y: number, mo: number): number {
  return mo === 2 ? ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28) : [4, 6, 9, 11].includes(mo) ? 30 : 31;
}

/** Two-digit years are 20xx (chat exports postdate 2000). */
export const fullYear = (y: number): number => (y < 100 ? 2000 + y : y);

/**
 * Converts a 12-hour clock hour to 24-hour. `pm` true for PM/下午/p. m./午後/오후.
 * 12 AM → 0, 12 PM → 12. WhatsApp's Spanish quirk "00:08 a. m." keeps 0.
 */
export function to24h(h: number, pm: boolean): number {
  if (h === 12) return pm ? 12 : 0;
  if (h === 0) return pm ? 12 : 0;
  return pm ? h + 12 : h;
}

/** Wall-clock time of a UTC instant in a fixed offset (minutes east of UTC). */
export function wallFromUtcMs(ms: number, offsetMinutes = 0): string {
  const d = new Date(ms + offsetMinutes * 60_000);
  return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
}

/** Epoch ms of a wall-clock string read as UTC (for ordering and gaps; never shown as an instant). */
export function wallToMs(wall: string): number {
  return Date.UTC(
    +wall.slice(0, 4),
    +wall.slice(5, 7) - 1,
    +wall.slice(8, 10),
    +wall.slice(11, 13),
    +wall.slice(14, 16),
    +wall.slice(17, 19),
  );
}
