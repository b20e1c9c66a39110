// Pure helpers of the notification bell (unit-tested in links.test.ts).

/**
 * The in-app address a notification points to, or null when it is not one (another site, the API,
 * a protocol-relative or malformed link). Links are stored as paths (`/phat-hien/3`); a full URL of
 * this very site (as put in e-mails) is turned back into its path.
 */
export function inAppPath(link: string | null | undefined, origin: string): string | null {
  const value = link?.trim();
  if (!value) return null;
  let path: string;
  if (value.startsWith('/') && !value.startsWith('//')) {
    path = value;
  } else {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return null;
    }
    if (url.origin !== origin) return null;
    path = `${url.pathname}${url.search}${url.hash}`;
  }
  if (path.startsWith('/api/') || path === '/api' || path.includes('\\')) return null;
  return path;
}

/** The bell's badge: nothing at 0, the number up to 99, then "99+". */
export function badgeText(unread: number | null | undefined): string | null {
  if (!unread || unread <= 0) return null;
  return unread > 99 ? '99+' : String(unread);
}
