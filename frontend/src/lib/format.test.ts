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

describe('datetime-local round trip', () => {
  it('turns an instant into the input’s wall-clock value and back', () => {
    const instant = '2026-05-01T15:30:00.000Z';
    expect(fromLocalInput(toLocalInput(instant))).toBe(instant);
  });
});
