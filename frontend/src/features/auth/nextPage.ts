/**
 * Where a sign-in goes on to: the page the address asked for (`/login?next=/my-results`) when it
 * is a path of this site, else the console. The same rule as the server's form sign-in
 * (`requested_page` in src/api/auth.rs).
 */

export const SIGNED_IN_PAGE = '/console';

// Any origin does: the address is resolved against it only to normalise the path.
const SITE = 'http://this-site.invalid';

/**
 * `requested` normalised as the browser would follow it (dot segments resolved, `\` read as `/`,
 * tabs and line breaks dropped), if that is still a path of this site; `/..//host`, `/.//host`,
 * `//host`, `/\host` and `https://host` all lead to another site and give the console instead.
 */
export function nextPage(requested: string | null): string {
  if (requested === null || !requested.startsWith('/')) return SIGNED_IN_PAGE;
  let page: URL;
  try {
    page = new URL(requested, SITE);
  } catch {
    return SIGNED_IN_PAGE;
  }
  if (page.origin !== SITE || page.pathname.startsWith('//') || page.pathname.startsWith('/\\')) return SIGNED_IN_PAGE;
  return `${page.pathname}${page.search}${page.hash}`;
}
