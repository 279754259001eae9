import { useSearchParams } from 'react-router';

/**
 * A list screen's filters, search and page kept in the address (`?q=…&page=2`), so a reload or a
 * shared link shows the same rows. Empty values (and page 1) are left out; changing anything but
 * the page goes back to page 1.
 */
export function useAddressState() {
  const [params, setParams] = useSearchParams();
  const get = (key: string) => params.get(key) ?? '';
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const set = (change: Record<string, string | number>) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (!('page' in change)) next.delete('page');
        for (const [key, value] of Object.entries(change)) {
          const text = String(value);
          if (text === '' || (key === 'page' && text === '1')) next.delete(key);
          else next.set(key, text);
        }
        return next;
      },
      { replace: true },
    );
  return { get, page, set };
}
