import { describe, expect, it } from 'vitest';
import type { CorrectiveAction } from '../../api/types';
import { canOpenVisits, canRespond, findingAccess, isOutsider, isProducerOnly, ownsAction } from './access';

const action = (owner_type: string, status: CorrectiveAction['status'] = 'open') =>
  ({ owner_type, status }) as CorrectiveAction;

describe('inspection access', () => {
  it('keeps local officers and producers out of the team working record', () => {
    for (const role of ['admin', 'coordinator', 'leader', 'viewer', 'inspector']) {
      expect(isOutsider([role])).toBe(false);
      expect(canOpenVisits([role])).toBe(true);
    }
    for (const role of ['local_officer', 'producer']) {
      expect(isOutsider([role])).toBe(true);
      expect(canOpenVisits([role])).toBe(false);
    }
    expect(isOutsider(['local_officer', 'inspector'])).toBe(false);
  });

  it('calls the producer-only list "my findings"', () => {
    expect(isProducerOnly(['producer'])).toBe(true);
    expect(isProducerOnly(['producer', 'local_officer'])).toBe(false);
    expect(isProducerOnly(['inspector'])).toBe(false);
  });

  it('lets the owner answer an open action: producers theirs, local officers the unit’s', () => {
    expect(ownsAction(['producer'], action('producer'))).toBe(true);
    expect(ownsAction(['producer'], action('unit'))).toBe(false);
    expect(ownsAction(['local_officer'], action('unit'))).toBe(true);
    expect(ownsAction(['inspector'], action('producer'))).toBe(false);
    expect(canRespond(['producer'], action('producer', 'open'))).toBe(true);
    expect(canRespond(['producer'], action('producer', 'responded'))).toBe(false);
  });

  it('lets the team set and verify actions, a coordinator set them, owners attach evidence', () => {
    expect(findingAccess(['inspector'], true, [])).toEqual({ manage: true, verify: true, upload: true });
    expect(findingAccess(['inspector'], false, [])).toEqual({ manage: false, verify: false, upload: false });
    expect(findingAccess(['coordinator'], false, [])).toEqual({ manage: true, verify: false, upload: false });
    expect(findingAccess(['producer'], false, [action('producer')])).toEqual({ manage: false, verify: false, upload: true });
    expect(findingAccess(['producer'], false, [action('producer', 'responded')]).upload).toBe(false);
    expect(findingAccess(['viewer'], false, [action('producer')]).upload).toBe(false);
  });
});
