import { describe, expect, it } from 'vitest';
import { campaignAccess, canCreateCampaign, isLocalOnly } from './access';

describe('campaign access', () => {
  it('lets coordinators and administrators draft plans', () => {
    expect(canCreateCampaign(['coordinator'])).toBe(true);
    expect(canCreateCampaign(['admin'])).toBe(true);
    expect(canCreateCampaign(['leader'])).toBe(false);
    expect(canCreateCampaign(['local_officer'])).toBe(false);
  });

  it('shows local officers the plan, schedule, tasks, reports and documents, without warnings', () => {
    expect(isLocalOnly(['local_officer'])).toBe(true);
    expect(isLocalOnly(['local_officer', 'coordinator'])).toBe(false);
    const local = campaignAccess(['local_officer'], 'issued');
    expect(local.tabs).toEqual(['plan', 'schedule', 'tasks', 'reports', 'documents']);
    expect(local).toMatchObject({
      warnings: false,
      editParts: false,
      suggestions: false,
      writeReport: true,
      reviewReport: false,
    });
    expect(campaignAccess(['local_officer'], 'closed').writeReport).toBe(false);
  });

  it('gives editors the team and schedule until the plan closes, and the leader amendments of issued plans', () => {
    const draft = campaignAccess(['coordinator'], 'draft');
    expect(draft.tabs).toEqual(['plan', 'team', 'schedule', 'checklist', 'tasks', 'reports', 'documents']);
    expect(draft).toMatchObject({
      editParts: true,
      warnings: true,
      suggestions: true,
      amend: false,
      writeReport: false,
    });
    expect(campaignAccess(['coordinator'], 'closed').editParts).toBe(false);
    expect(campaignAccess(['leader'], 'in_progress')).toMatchObject({
      amend: true,
      editParts: false,
      reviewReport: true,
    });
    expect(campaignAccess(['leader'], 'draft').amend).toBe(false);
    expect(campaignAccess(['inspector'], 'issued')).toMatchObject({
      editParts: false,
      amend: false,
      writeReport: false,
      warnings: true,
    });
  });
});
