import { describe, expect, it } from 'vitest';

import { formatDate, formatDateTime, formatMarks, fromLocalInput, timeUntil, toLocalInput } from './format';

describe('formatDate', () => {
  it('shows a calendar date in each language without shifting it by a time zone', () => {
    expect(formatDate('2026-06-01', 'zh-CN')).toBe('2026年6月1日');
    expect(formatDate('2026-06-01', 'en')).toMatch(/Jun 1, 2026|1 Jun 2026/);
    expect(formatDate('not a date', 'en')).toBe('not a date');
  });
});

describe('formatDateTime', () => {
  it('shows an instant in the event’s time zone, labelled with it', () => {
    expect(formatDateTime('2026-05-01T15:30:00Z', 'zh-CN', 'Asia/Shanghai')).toMatch(/23:30（北京时间）$/);
    expect(formatDateTime('2026-05-01T15:30:00Z', 'en', 'Asia/Shanghai')).toMatch(/11:30 PM \(UTC\+8\)$/);
    expect(formatDateTime('2026-05-01T15:30:00Z', 'zh-CN', 'America/New_York')).toMatch(/11:30（UTC-4）$/);
    expect(formatDateTime('2026-05-01T15:30:00Z', 'en', 'UTC')).toMatch(/3:30 PM \(UTC\)$/);
    expect(formatDateTime('2026-05-01T15:30:00Z', 'en', 'No/Such_Zone')).toMatch(/\(UTC/);
  });
});

describe('formatMarks', () => {
  it('shows hundredths as exact marks', () => {
    expect(formatMarks(150, 'en')).toBe('1.50');
    expect(formatMarks(10000, 'zh-CN')).toBe('100.00');
  });
});

describe('timeUntil', () => {
  it('splits the time left into days, hours and minutes and says when it has passed', () => {
    const now = Date.parse('2026-05-01T00:00:00Z');
    expect(timeUntil('2026-05-03T05:07:00Z', now)).toEqual({ past: false, days: 2, hours: 5, minutes: 7 });
    expect(timeUntil('2026-04-30T23:00:00Z', now)).toEqual({ past: true, days: 0, hours: 1, minutes: 0 });
    expect(timeUntil('soon', now)).toBeNull();
  });
});

describe('datetime-local in the event’s zone', () => {
  it('reads and writes the wall clock of the event’s zone, whatever the device’s', () => {
    const instant = '2026-05-01T15:30:00.000Z';
    expect(toLocalInput(instant, 'Asia/Shanghai')).toBe('2026-05-01T23:30');
    expect(fromLocalInput('2026-05-01T23:30', 'Asia/Shanghai')).toBe(instant);
    expect(toLocalInput(instant, 'UTC')).toBe('2026-05-01T15:30');
    for (const zone of ['Asia/Shanghai', 'UTC', 'America/New_York', 'Europe/Berlin']) {
      expect(fromLocalInput(toLocalInput(instant, zone), zone)).toBe(instant);
    }
  });

  it('follows a change of offset (summer time in New York: UTC-4, winter: UTC-5)', () => {
    expect(fromLocalInput('2026-07-01T09:00', 'America/New_York')).toBe('2026-07-01T13:00:00.000Z');
    expect(fromLocalInput('2026-01-15T09:00', 'America/New_York')).toBe('2026-01-15T14:00:00.000Z');
    expect(fromLocalInput('not a time', 'UTC')).toBe('not a time');
    expect(toLocalInput('soon', 'UTC')).toBe('');
  });
});
