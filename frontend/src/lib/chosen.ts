import { useState } from 'react';

/** The ids a table's checkboxes have chosen: the set, a setter (e.g. to clear it) and a per-row toggle. */
export function useChosenIds() {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  return { selected, setSelected, toggle };
}
