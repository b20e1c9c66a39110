// Editing a finding with If-Match. When someone changed it meanwhile (412), what each side changed is merged
// field by field (merge.ts); where both changed the same field differently, a choice screen shows both values and
// the user picks; nothing typed is dropped without being asked.
import { useState } from 'react';
import { Alert, Button, Group, NativeSelect, Paper, SimpleGrid, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/problem';
import type { Finding, Severity } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Section } from '../campaigns/parts';
import { enumLabel } from '../registry/labels';
import { useRefreshFinding } from './FindingActions';
import { getFinding, updateFinding, type FindingUpdate } from './inspectionsApi';
import { mergeFields, resolve, settled, type Fields, type Merge } from './merge';

const SEVERITIES: Severity[] = ['observation', 'minor', 'major', 'critical'];
const FIELDS = ['severity', 'description', 'recommendation'] as const;
type Form = { severity: Severity; description: string; recommendation: string };

const formOf = (f: Finding): Form => ({
  severity: f.severity,
  description: f.description,
  recommendation: f.recommendation ?? '',
});
const fieldsOf = (f: Finding): Fields => ({ ...formOf(f) });

function body(changes: Fields): FindingUpdate {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(changes)) {
    out[k] = typeof v === 'string' ? v.trim() || (k === 'recommendation' ? null : v) : v;
  }
  return out as FindingUpdate;
}

interface Pending {
  theirs: Finding;
  merge: Merge;
  choices: Record<string, 'mine' | 'theirs'>;
}

export function FindingEdit({ finding }: { finding: Finding }) {
  const { t } = useTranslation();
  const refresh = useRefreshFinding(finding.id);
  const [base, setBase] = useState<Finding | null>(null);
  const [form, setForm] = useState<Form | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const label = (field: string) => t(`field.edit.fields.${field}`);
  const show = (field: string, v: unknown) =>
    field === 'severity' ? enumLabel(t, 'campaigns.severities', String(v)) : String(v ?? '') || t('common.none');

  const done = (saved: Finding, merged: boolean) => {
    refresh();
    setBase(null);
    setForm(null);
    setPending(null);
    notifications.show({ color: 'green', message: merged ? t('field.edit.merged') : t('field.edit.saved') });
    return saved;
  };

  /** Sends `changes` on top of `onto`; after a 412, merges with the newer version (asking when needed). */
  const send = async (onto: Finding, from: Fields, mine: Fields, changes: Fields, merged: boolean) => {
    try {
      if (Object.keys(changes).length === 0) return done(onto, merged);
      return done(await updateFinding(onto, body(changes)), merged);
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 412)) throw err;
      const theirs = await getFinding(onto.id);
      const merge = mergeFields(from, mine, fieldsOf(theirs));
      if (merge.conflicts.length === 0) return send(theirs, fieldsOf(theirs), { ...fieldsOf(theirs), ...merge.changes }, merge.changes, true);
      setPending({ theirs, merge, choices: {} });
      return null;
    }
  };

  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const save = () =>
    run(async () => {
      if (!base || !form) return;
      const from = fieldsOf(base);
      const mine: Fields = { ...form };
      const changes = mergeFields(from, mine, from).changes;
      await send(base, from, mine, changes, false);
    });

  const saveChoices = () =>
    run(async () => {
      if (!pending || !form) return;
      const changes = resolve(pending.merge, pending.choices);
      const theirs = fieldsOf(pending.theirs);
      await send(pending.theirs, theirs, { ...theirs, ...changes }, changes, true);
    });

  if (!form || !base) {
    return (
      <Group>
        <Button
          variant="light"
          onClick={() => {
            setBase(finding);
            setForm(formOf(finding));
          }}
          data-testid="finding-edit"
        >
          {t('field.edit.button')}
        </Button>
      </Group>
    );
  }

  if (pending) {
    return (
      <Section title={t('field.edit.conflictTitle')} testId="merge-screen">
        <Stack gap="sm">
          <Text size="sm">{t('field.edit.conflictHint')}</Text>
          {Object.entries(pending.merge.changes).map(([field, v]) => (
            <Text key={field} size="sm" data-testid="merge-kept">
              ✓ {label(field)}: {show(field, v)} ({t('field.edit.keptMine')})
            </Text>
          ))}
          {pending.merge.conflicts.map((c) => (
            <Paper key={c.field} withBorder p="sm" radius="md" data-testid="merge-conflict" data-field={c.field}>
              <Text fw={600} mb={4}>
                {label(c.field)}
              </Text>
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                {(['theirs', 'mine'] as const).map((side) => (
                  <Stack key={side} gap={4}>
                    <Text size="xs" c="dimmed">
                      {t(`field.edit.${side}`)}
                    </Text>
                    <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                      {show(c.field, c[side])}
                    </Text>
                    <Button
                      size="sm"
                      variant={pending.choices[c.field] === side ? 'filled' : 'default'}
                      onClick={() => setPending({ ...pending, choices: { ...pending.choices, [c.field]: side } })}
                      data-testid={`merge-${side}`}
                    >
                      {t(`field.edit.keep.${side}`)}
                    </Button>
                  </Stack>
                ))}
              </SimpleGrid>
            </Paper>
          ))}
          <ErrorAlert error={error} />
          <Group>
            <Button
              onClick={() => void saveChoices()}
              loading={busy}
              disabled={!settled(pending.merge, pending.choices)}
              data-testid="merge-save"
            >
              {t('field.edit.save')}
            </Button>
          </Group>
        </Stack>
      </Section>
    );
  }

  return (
    <Section title={t('field.edit.title')} testId="finding-edit-form">
      <Stack gap="sm">
        <NativeSelect
          label={label('severity')}
          value={form.severity}
          onChange={(e) => setForm({ ...form, severity: e.currentTarget.value as Severity })}
          data={SEVERITIES.map((s) => ({ value: s, label: enumLabel(t, 'campaigns.severities', s) }))}
          data-testid="finding-edit-severity"
        />
        <Textarea
          label={label('description')}
          autosize
          minRows={2}
          value={form.description}
          onChange={(e) => setForm({ ...form, description: e.currentTarget.value })}
          data-testid="finding-edit-description"
        />
        <Textarea
          label={label('recommendation')}
          autosize
          minRows={2}
          value={form.recommendation}
          onChange={(e) => setForm({ ...form, recommendation: e.currentTarget.value })}
          data-testid="finding-edit-recommendation"
        />
        {error != null && !(error instanceof ApiError && error.status === 412) && <ErrorAlert error={error} />}
        {FIELDS.length > 0 && (
          <Group>
            <Button onClick={() => void save()} loading={busy} data-testid="finding-edit-save">
              {t('field.edit.save')}
            </Button>
            <Button variant="default" onClick={() => setForm(null)}>
              {t('common.cancel')}
            </Button>
          </Group>
        )}
        {busy && <Alert variant="light">{t('field.edit.saving')}</Alert>}
      </Stack>
    </Section>
  );
}
