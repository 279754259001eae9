/**
 * Dates, times and numbers in the interface language. Calendar dates
 * (`YYYY-MM-DD`, e.g. a competition day or a birth date) are shown as they
 * are written, never shifted by the browser's time zone; instants (RFC 3339)
 * are shown in the event's time zone, labelled with it (`formatDateTime`).
 */

import type { Locale } from '@/lib/i18n';

/** A calendar date `YYYY-MM-DD` → e.g. "2026年6月1日" / "1 Jun 2026". Invalid input is returned as is. */
export function formatDate(date: string, locale: Locale): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (match === null) return date;
  const utc = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(utc);
}

// Building an Intl.DateTimeFormat costs far more than using one: one per locale, zone and style.
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

function dateTimeFormat(locale: Locale, timeZone: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}/${timeZone ?? ''}/${JSON.stringify(options)}`;
  let format = dateTimeFormats.get(key);
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    } catch {
      // An unknown time zone name: the browser's (the label then names the browser's offset).
      format = new Intl.DateTimeFormat(locale, options);
    }
    dateTimeFormats.set(key, format);
  }
  return format;
}

/** China's zones, said the way people in China say them. */
const BEIJING_TIME = new Set(['Asia/Shanghai', 'Asia/Chongqing', 'Asia/Harbin', 'PRC']);

/** The zone's name for people: "北京时间" for China's zone in Chinese, otherwise "UTC+8", "UTC−4:30", "UTC". */
export function timeZoneLabel(instant: Date, locale: Locale, timeZone: string | undefined): string {
  if (locale === 'zh-CN' && timeZone !== undefined && BEIJING_TIME.has(timeZone)) return '北京时间';
  const offset = dateTimeFormat('en', timeZone, { timeZoneName: 'shortOffset' })
    .formatToParts(instant)
    .find((p) => p.type === 'timeZoneName')?.value;
  return (offset ?? 'GMT').replace(/^GMT(\+0)?$/, 'UTC').replace(/^GMT/, 'UTC');
}

/**
 * An event's instant (RFC 3339) with date and time in the event's time zone, labelled with it:
 * "2026年5月1日 23:30（北京时间）" / "1 May 2026, 23:30 (UTC+8)". Every screen shows an event's
 * times this way, so a competitor and a team leader read the same time whatever their device's
 * zone. Without a zone (the event not loaded yet) the browser's, still labelled.
 */
export function formatDateTime(instant: string, locale: Locale, timeZone: string | undefined): string {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return instant;
  const text = dateTimeFormat(locale, timeZone, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
  const label = timeZoneLabel(date, locale, timeZone);
  return locale === 'zh-CN' ? `${text}（${label}）` : `${text} (${label})`;
}

// Building an Intl.NumberFormat costs far more than using one: one per locale and style.
const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: Locale, fractionDigits: number | null): Intl.NumberFormat {
  const key = `${locale}/${fractionDigits ?? ''}`;
  let format = numberFormats.get(key);
  if (format === undefined) {
    format = new Intl.NumberFormat(
      locale,
      fractionDigits === null ? {} : { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits },
    );
    numberFormats.set(key, format);
  }
  return format;
}

export function formatNumber(value: number, locale: Locale): string {
  return numberFormat(locale, null).format(value);
}

/** Marks held in hundredths (150 → "1.50"), exact, with the locale's digits grouping. */
export function formatMarks(hundredths: number, locale: Locale): string {
  return numberFormat(locale, 2).format(hundredths / 100);
}

export interface TimeLeft {
  past: boolean;
  days: number;
  hours: number;
  minutes: number;
}

/** How long until `deadline` (RFC 3339) from `now`, in whole days, hours and minutes. */
export function timeUntil(deadline: string, now: number = Date.now()): TimeLeft | null {
  const at = Date.parse(deadline);
  if (Number.isNaN(at)) return null;
  const diff = at - now;
  const minutesTotal = Math.floor(Math.abs(diff) / 60_000);
  return {
    past: diff < 0,
    days: Math.floor(minutesTotal / 1440),
    hours: Math.floor((minutesTotal % 1440) / 60),
    minutes: minutesTotal % 60,
  };
}

/**
 * `<input type="datetime-local">` value (wall-clock time, no zone) for an instant, as seen in
 * `timeZone` (the event's: an event's times are typed and read in its own zone, wherever the
 * organiser's device is), and back.
 */
export function toLocalInput(instant: string, timeZone: string | undefined): string {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return '';
  const w = wallClock(date, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/** The instant (ISO) of a `datetime-local` value read in `timeZone`; an unreadable value as it is. */
export function fromLocalInput(value: string, timeZone: string | undefined): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (m === null) return value;
  const [year, month, day, hour, minute, second] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  // The zone's offset at that moment; checked again at the result (a change of offset between).
  let instant = asUtc - offsetAt(asUtc, timeZone);
  instant = asUtc - offsetAt(instant, timeZone);
  return new Date(instant).toISOString();
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(date: Date, timeZone: string | undefined): WallClock {
  const parts = dateTimeFormat('en', knownZone(timeZone), {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: part('year'), month: part('month'), day: part('day'), hour: part('hour'), minute: part('minute'), second: part('second') };
}

/** `timeZone` if the browser knows it (a zone still being typed may not be one yet), else the device's. */
function knownZone(timeZone: string | undefined): string | undefined {
  if (timeZone === undefined) return undefined;
  try {
    dateTimeFormat('en', timeZone, {});
    return timeZone;
  } catch {
    return undefined;
  }
}

/** Milliseconds `timeZone` is ahead of UTC at `instant`. */
function offsetAt(instant: number, timeZone: string | undefined): number {
  const w = wallClock(new Date(instant), timeZone);
  const seconds = Math.floor(instant / 1000) * 1000;
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - seconds;
}
