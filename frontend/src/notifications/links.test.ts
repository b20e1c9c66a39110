import { describe, expect, it } from 'vitest';
import { badgeText, inAppPath } from './links';

const ORIGIN = 'https://ocop.langson.gov.vn';

describe('inAppPath', () => {
  it('keeps the app’s own paths, with their query', () => {
    expect(inAppPath('/phat-hien/3', ORIGIN)).toBe('/phat-hien/3');
    expect(inAppPath('/san-pham?sp=38', ORIGIN)).toBe('/san-pham?sp=38');
    expect(inAppPath('  /ke-hoach/1?tab=van-ban ', ORIGIN)).toBe('/ke-hoach/1?tab=van-ban');
  });

  it('turns a full address of this site back into a path', () => {
    expect(inAppPath(`${ORIGIN}/phat-hien/3#hanh-dong`, ORIGIN)).toBe('/phat-hien/3#hanh-dong');
  });

  it('refuses other sites, API addresses and odd links', () => {
    expect(inAppPath('https://example.com/phat-hien/3', ORIGIN)).toBeNull();
    expect(inAppPath('//example.com/x', ORIGIN)).toBeNull();
    expect(inAppPath('/api/v1/notifications', ORIGIN)).toBeNull();
    expect(inAppPath(`${ORIGIN}/api/v1/x`, ORIGIN)).toBeNull();
    expect(inAppPath('javascript:alert(1)', ORIGIN)).toBeNull();
    expect(inAppPath('phat-hien/3', ORIGIN)).toBeNull();
    expect(inAppPath('/\\example.com', ORIGIN)).toBeNull();
    expect(inAppPath(null, ORIGIN)).toBeNull();
    expect(inAppPath('', ORIGIN)).toBeNull();
  });
});

describe('badgeText', () => {
  it('shows nothing without unread notifications, the number, then 99+', () => {
    expect(badgeText(0)).toBeNull();
    expect(badgeText(undefined)).toBeNull();
    expect(badgeText(7)).toBe('7');
    expect(badgeText(99)).toBe('99');
    expect(badgeText(100)).toBe('99+');
  });
});
