import { describe, expect, it } from 'vitest';

import { messages } from '@/lib/i18n';

import { roleLabel, sortRoles } from './roles';

describe('roleLabel', () => {
  it('translates known roles and shows unknown ones by code', () => {
    expect(roleLabel('chief_expert', messages.en)).toBe('Chief expert');
    expect(roleLabel('competitor', messages['zh-CN'])).toBe('选手');
    expect(roleLabel('auditor', messages.en)).toBe('auditor');
  });
});

describe('sortRoles', () => {
  it('orders by rank, then scope, without changing the input', () => {
    const roles = [
      { id: '1', role: 'expert', scope_id: 'skill-b' },
      { id: '2', role: 'admin', scope_id: null },
      { id: '3', role: 'expert', scope_id: 'skill-a' },
      { id: '4', role: 'mystery' },
    ];
    expect(sortRoles(roles).map((r) => r.id)).toEqual(['2', '3', '1', '4']);
    expect(roles.map((r) => r.id)).toEqual(['1', '2', '3', '4']);
  });
});
