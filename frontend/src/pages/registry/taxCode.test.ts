import { describe, expect, it } from 'vitest';
import en from '../../i18n/en.json';
import vi from '../../i18n/vi.json';
import { taxCodeHintKey } from './taxCode';

describe('taxCodeHintKey', () => {
  it('tells a household business about the 12-digit personal identification number', () => {
    expect(taxCodeHintKey('household_business')).toBe('producers.taxCodeHintPersonal');
  });
  it('tells enterprises, cooperatives and cooperative groups about 10 digits', () => {
    for (const kind of ['enterprise', 'cooperative', 'cooperative_group']) {
      expect(taxCodeHintKey(kind)).toBe('producers.taxCodeHintOrganisation');
    }
  });
  it('lists every form before a kind is chosen', () => {
    expect(taxCodeHintKey(null)).toBe('producers.taxCodeHintAny');
  });
  it('has the descriptions in Vietnamese and English', () => {
    for (const kind of [null, 'household_business', 'enterprise']) {
      const key = taxCodeHintKey(kind).split('.')[1] as keyof typeof vi.producers;
      expect(vi.producers[key]).toBeTruthy();
      expect(en.producers[key as keyof typeof en.producers]).toBeTruthy();
    }
    expect(vi.producers.taxCodeHintPersonal).toContain('12 chữ số');
  });
});
