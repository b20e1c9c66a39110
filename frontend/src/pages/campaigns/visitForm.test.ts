import { describe, expect, it } from 'vitest';
import { emptyVisit, formToVisit, validateVisit, visitToForm } from './visitForm';

describe('visit form', () => {
  it('writes times in Vietnam time and leaves empty rows out', () => {
    const form = emptyVisit({ date: '2027-05-12', place: ' Hội trường UBND huyện ', admin_unit_id: 10 });
    form.counterparts = [
      { role: 'local_leaders', description: 'Lãnh đạo UBND huyện', agency_id: null },
      { role: 'other', description: ' ', agency_id: null },
    ];
    expect(validateVisit(form)).toEqual({});
    expect(formToVisit(form)).toEqual({
      kind: 'working_session',
      starts_at: '2027-05-12T08:00:00+07:00',
      ends_at: '2027-05-12T11:00:00+07:00',
      place: 'Hội trường UBND huyện',
      admin_unit_id: 10,
      host_agency_id: null,
      programme: null,
      counterparts: [{ role: 'local_leaders', description: 'Lãnh đạo UBND huyện', agency_id: null }],
      team_member_ids: [],
      targets: [],
    });
  });

  it('needs a producer for a site visit and an end after the start', () => {
    const form = emptyVisit({
      kind: 'site_visit',
      date: '2027-05-12',
      place: 'HTX',
      admin_unit_id: 10,
      start: '14:00',
      end: '10:00',
    });
    expect(validateVisit(form)).toEqual({
      end: 'campaigns.visits.endBeforeStart',
      targets: 'campaigns.visits.targetsRequired',
    });
    form.end = '16:00';
    form.targets = [
      { producer_id: 7, product_id: null },
      { producer_id: null, product_id: null },
    ];
    expect(validateVisit(form)).toEqual({});
    expect(formToVisit(form).targets).toEqual([{ producer_id: 7, product_id: null }]);
    expect(validateVisit(emptyVisit())).toMatchObject({
      date: 'account.required',
      place: 'account.required',
      admin_unit_id: 'account.required',
    });
  });

  it('reads a stored visit back in Vietnam time', () => {
    const form = visitToForm({
      id: 1,
      kind: 'site_visit',
      starts_at: '2024-05-14T01:00:00Z',
      ends_at: '2024-05-14T03:30:00Z',
      place: 'Trụ sở HTX Đồng Bành',
      admin_unit_id: 10,
      host_agency_id: null,
      programme: null,
      counterparts: [],
      team_member_ids: [3],
      targets: [{ producer_id: 5, producer_name: 'HTX Đồng Bành', product_id: 9, product_name: 'Na Chi Lăng' }],
    } as never);
    expect(form).toMatchObject({ date: '2024-05-14', start: '08:00', end: '10:30', team_member_ids: [3] });
    expect(form.targets).toEqual([{ producer_id: 5, product_id: 9 }]);
  });
});
