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
 * `<input type="datetime-local">` value (wall-clock time, no zone) for an
 * instant, as seen in the browser's time zone, and back.
 */
export function toLocalInput(instant: string): string {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function fromLocalInput(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}
