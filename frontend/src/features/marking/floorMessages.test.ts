import { describe, expect, it } from 'vitest';

import { floorMessages, floorText } from './floorMessages';

describe('the floor view’s strings', () => {
  it('fills in placeholders and leaves unknown ones visible', () => {
    expect(floorText(floorMessages.en.unlockTitle, { sub: 'A1', entry: 'Workstation 3' })).toBe('Unlock A1 of Workstation 3?');
    expect(floorText(floorMessages['zh-CN'].lockDone, { sub: 'B2', entry: '工位 4' })).toBe('已锁定 工位 4 的 B2。');
    expect(floorText('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });
  it('has every string in both languages', () => {
    expect(Object.keys(floorMessages['zh-CN']).sort()).toEqual(Object.keys(floorMessages.en).sort());
    for (const text of Object.values(floorMessages['zh-CN'])) expect(text).not.toBe('');
  });
});
