/**
 * Every word and number the frontend shows, written once. The Python twin is
 * `qrt_lab/runtime/summaries/words.py`; `tests/fixtures/vocabulary.json` holds inputs and expected
 * strings that both languages' tests check, so the two cannot drift.
 */

/** Shown for a missing value. */
export const DASH = '—';

/** What "usage" means where it is shown. */
export const USAGE_EXPLAINED =
  'Usage is quantum time: the seconds the QPU is reserved for the job, as IBM Quantum bills ' +
  'them (set-up plus every shot), not the wall-clock time the job took.';

/** The same on the local service, which emulates the charge. */
export const USAGE_EXPLAINED_LOCAL =
  'Usage is quantum time as IBM Quantum would bill it (set-up plus every shot on the ' +
  'device), emulated by the local service: nothing is billed.';

const STATUS_WORDS: { [key: string]: string } = {
  DONE: 'Completed',
  COMPLETED: 'Completed',
  QUEUED: 'Queued',
  RUNNING: 'In progress',
  IN_PROGRESS: 'In progress',
  ERROR: 'Failed',
  FAILED: 'Failed',
  CANCELLED: 'Cancelled',
  CANCELED: 'Cancelled',
  INITIALIZING: 'Initializing',
  VALIDATING: 'Validating',
  OPEN: 'Open',
  ACTIVE: 'Active',
  INACTIVE: 'Inactive',
  CLOSED: 'Closed'
};

/** The dashboard's word for a job or session status ("DONE" and "Completed" → "Completed"). */
export function statusWord(status: string | null | undefined): string {
  if (status === null || status === undefined) {
    return DASH;
  }
  const text = String(status).split(' - ')[0].trim();
  if (!text) {
    return DASH;
  }
  const known = STATUS_WORDS[text.toUpperCase().replace(/ /g, '_')];
  return known ?? text.slice(0, 1).toUpperCase() + text.slice(1).toLowerCase();
}

function finite(value: unknown): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return null;
  }
  return value;
}

/** `toFixed` without a minus sign on a value that rounds to zero. */
function fixed(value: number, decimals: number): string {
  const text = value.toFixed(decimals);
  return /^-[0.]*$/.test(text) ? text.slice(1) : text;
}

function precision(value: number, digits: number): string {
  const text = value.toPrecision(digits);
  return /^-[0.]*$/.test(text) ? text.slice(1) : text;
}

/** A number to `digits` significant digits, scientific below 0.01 ("7.20e-3"). */
export function num(value: number | null | undefined, digits = 3): string {
  const x = finite(value);
  if (x === null) {
    return DASH;
  }
  if (x !== 0 && Math.abs(x) < 0.01) {
    return x.toExponential(digits - 1);
  }
  return precision(x, digits);
}

/** An error rate: "7.20e-3", "0.0123", "0.500". */
export function errorRate(value: number | null | undefined): string {
  return num(value, 3);
}

/** A time given in µs: "123 µs". */
export function microseconds(value: number | null | undefined): string {
  const x = finite(value);
  return x === null ? DASH : `${num(x, 3)} µs`;
}

/** A probability with four decimals: "0.5012". */
export function probability(value: number | null | undefined): string {
  const x = finite(value);
  return x === null ? DASH : fixed(x, 4);
}

/** A whole number of shots or outcomes: "1024". */
export function count(value: number | null | undefined): string {
  const x = finite(value);
  return x === null ? DASH : String(Number(fixed(x, 0)));
}

/** An expectation value with its std in one rounding: "0.988 ± 0.012". */
export function expectation(
  value: number | null | undefined,
  std?: number | null,
  digits = 2
): string {
  const x = finite(value);
  if (x === null) {
    return DASH;
  }
  const s = finite(std);
  if (s === null || s <= 0) {
    return precision(x, 4);
  }
  const exponent = Number(s.toExponential(digits - 1).split('e')[1]);
  const decimals = Math.max(0, digits - 1 - exponent);
  return `${fixed(x, decimals)} ± ${fixed(s, decimals)}`;
}

/** A span of time: "240 ms", "2.4 s", "43 s", "7 h 56 min 40 s". */
export function duration(seconds: number | null | undefined): string {
  const v = finite(seconds);
  if (v === null) {
    return DASH;
  }
  const x = Math.max(0, v);
  if (x === 0) {
    return '0 s';
  }
  if (x < 0.001) {
    return '< 1 ms';
  }
  if (x < 0.9995) {
    const ms = x * 1000;
    return `${ms < 9.95 ? precision(ms, 2) : fixed(ms, 0)} ms`;
  }
  if (x < 9.95) {
    return `${precision(x, 2)} s`;
  }
  const whole = Number(fixed(x, 0));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const parts = [h ? `${h} h` : '', m ? `${m} min` : '', s || !(h || m) ? `${s} s` : ''];
  return parts.filter(Boolean).join(' ');
}

/** How long ago: "just now", "12 s ago", "3 min ago", "2 h ago", "4 d ago". */
export function age(seconds: number | null | undefined): string {
  const x = finite(seconds);
  if (x === null) {
    return '';
  }
  const s = Math.max(0, Math.floor(x));
  if (s < 5) {
    return 'just now';
  }
  if (s < 60) {
    return `${s} s ago`;
  }
  if (s < 3600) {
    return `${Math.floor(s / 60)} min ago`;
  }
  if (s < 86400) {
    return `${Math.floor(s / 3600)} h ago`;
  }
  return `${Math.floor(s / 86400)} d ago`;
}

/** The age of an ISO timestamp at `now` (ms since the epoch). */
export function ageOf(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) {
    return '';
  }
  const stamp = Date.parse(iso);
  return Number.isNaN(stamp) ? '' : age((now - stamp) / 1000);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** An ISO timestamp as "2026-12-07 02:45:55" in local time (or UTC). */
export function localTime(iso: string | null | undefined, utc = false): string {
  const stamp = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(stamp)) {
    return DASH;
  }
  const d = new Date(stamp);
  const parts = utc
    ? [
        d.getUTCFullYear(),
        d.getUTCMonth() + 1,
        d.getUTCDate(),
        d.getUTCHours(),
        d.getUTCMinutes(),
        d.getUTCSeconds()
      ]
    : [
        d.getFullYear(),
        d.getMonth() + 1,
        d.getDate(),
        d.getHours(),
        d.getMinutes(),
        d.getSeconds()
      ];
  const [y, mo, da, h, mi, s] = parts;
  return `${y}-${pad(mo)}-${pad(da)} ${pad(h)}:${pad(mi)}:${pad(s)}`;
}

/** "1 job", "2 jobs", "0 jobs". */
export function plural(n: number, singular: string, pluralForm?: string): string {
  return `${n} ${n === 1 ? singular : (pluralForm ?? `${singular}s`)}`;
}

/** A calibration older than this many days is marked stale (words.py has the same). */
export const STALE_CALIBRATION_DAYS = 7;
/** The mark shown next to a stale calibration's age. */
export const STALE_MARK = '⚠ stale';
/** Why a calibration is marked stale (the mark's tooltip). */
export const STALE_CALIBRATION_HINT =
  `This calibration is more than ${STALE_CALIBRATION_DAYS} days old: the device has drifted ` +
  'since, so error rates and predictions made from it may be off.';

/** Whether a calibration `ageSeconds` old is older than `STALE_CALIBRATION_DAYS`. */
export function calibrationIsStale(ageSeconds: number | null | undefined): boolean {
  return (
    typeof ageSeconds === 'number' &&
    Number.isFinite(ageSeconds) &&
    ageSeconds > STALE_CALIBRATION_DAYS * 86400
  );
}

/** A session's jobs: `11 (0 queued or running)`, or `11` when that is not known. */
export function sessionJobs(total: number, unfinished: number | null | undefined): string {
  return unfinished === null || unfinished === undefined
    ? String(total)
    : `${total} (${unfinished} queued or running)`;
}

/** The explanation shown next to a usage figure. */
export function usageHint(local: boolean): string {
  return local ? USAGE_EXPLAINED_LOCAL : USAGE_EXPLAINED;
}
