// The record of a visit: actual times, who attended, the GPS point and a note. Kept as a draft on
// the device while typed and sent (PATCH with If-Match) by the visit's sync.
import { useState } from 'react';
import { ActionIcon, Button, Group, NativeSelect, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Attendee } from '../../api/types';
import { Field } from '../../components/Field';
import { formatDateTime } from '../../lib/format';
import { replaceAt, removeAt } from '../campaigns/model';
import { Section } from '../campaigns/parts';
import type { RecordFields } from './drafts';
import { fromLocalInput, toLocalInput } from './model';

const BLANK: Attendee = { name: '', title: null, organisation: null };

function GpsField({ record, editable, onChange }: Props) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const locate = () => {
    if (!('geolocation' in navigator)) {
      setProblem(t('visit.record.gpsUnavailable'));
      return;
    }
    setBusy(true);
    setProblem(null);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setBusy(false);
        onChange({
          gps_lat: Number(pos.coords.latitude.toFixed(6)),
          gps_lon: Number(pos.coords.longitude.toFixed(6)),
          gps_accuracy_m: Math.round(pos.coords.accuracy),
        });
      },
      (err) => {
        setBusy(false);
        setProblem(err.code === err.PERMISSION_DENIED ? t('visit.record.gpsDenied') : t('visit.record.gpsFailed'));
      },
      { enableHighAccuracy: true, timeout: 20_000, maximumAge: 60_000 },
    );
  };
  const hasPoint = record.gps_lat != null && record.gps_lon != null;
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {t('visit.record.gps')}
      </Text>
      <Group gap="sm">
        <Text size="sm" data-testid="record-gps">
          {hasPoint
            ? t('visit.record.gpsValue', {
                lat: record.gps_lat!.toFixed(6),
                lon: record.gps_lon!.toFixed(6),
                accuracy: record.gps_accuracy_m ?? '?',
              })
            : t('visit.record.gpsNone')}
        </Text>
        {editable && (
          <Button size="md" variant="light" onClick={locate} loading={busy} data-testid="record-locate">
            {t('visit.record.locate')}
          </Button>
        )}
      </Group>
      {problem && (
        <Text size="sm" c="red">
          {problem}
        </Text>
      )}
    </Stack>
  );
}

interface Props {
  record: RecordFields;
  editable: boolean;
  onChange: (changes: Partial<RecordFields>, typing?: boolean) => void;
}

export function VisitRecordForm({ record, editable, onChange }: Props) {
  const { t } = useTranslation();
  const attendees = record.attendees.length || !editable ? record.attendees : [BLANK];
  const setAttendee = (i: number, patch: Partial<Attendee>) =>
    onChange({ attendees: replaceAt(attendees, i, { ...attendees[i], ...patch }) }, true);

  return (
    <Section title={t('visit.record.title')} testId="visit-record">
      <Stack gap="md">
        {editable ? (
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              size="md"
              type="datetime-local"
              label={t('visit.record.actualStart')}
              value={toLocalInput(record.actual_start)}
              onChange={(e) => onChange({ actual_start: fromLocalInput(e.currentTarget.value) })}
              data-testid="record-start"
            />
            <TextInput
              size="md"
              type="datetime-local"
              label={t('visit.record.actualEnd')}
              value={toLocalInput(record.actual_end)}
              onChange={(e) => onChange({ actual_end: fromLocalInput(e.currentTarget.value) })}
              data-testid="record-end"
            />
          </SimpleGrid>
        ) : (
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Field label={t('visit.record.actualStart')}>{formatDateTime(record.actual_start)}</Field>
            <Field label={t('visit.record.actualEnd')}>{formatDateTime(record.actual_end)}</Field>
          </SimpleGrid>
        )}

        <Stack gap="xs" data-testid="record-attendees">
          <Text size="sm" fw={500}>
            {t('visit.record.attendees')}
          </Text>
          {attendees.length === 0 && (
            <Text size="sm" c="dimmed">
              {t('common.none')}
            </Text>
          )}
          {attendees.map((a, i) =>
            editable ? (
              <Group key={i} gap="xs" align="flex-end" wrap="wrap" data-testid="attendee-row">
                <NativeSelect
                  size="md"
                  label={i === 0 ? t('visit.record.honorific') : undefined}
                  aria-label={t('visit.record.honorific')}
                  value={a.honorific ?? ''}
                  data={[
                    { value: '', label: '—' },
                    { value: 'Ông', label: 'Ông' },
                    { value: 'Bà', label: 'Bà' },
                  ]}
                  onChange={(e) =>
                    setAttendee(i, { honorific: (e.currentTarget.value || null) as Attendee['honorific'] })
                  }
                  style={{ flex: '0 0 90px' }}
                  data-testid="attendee-honorific"
                />
                <TextInput
                  size="md"
                  label={i === 0 ? t('visit.record.name') : undefined}
                  aria-label={t('visit.record.name')}
                  value={a.name}
                  onChange={(e) => setAttendee(i, { name: e.currentTarget.value })}
                  style={{ flex: '2 1 200px' }}
                  data-testid="attendee-name"
                />
                <TextInput
                  size="md"
                  label={i === 0 ? t('visit.record.position') : undefined}
                  aria-label={t('visit.record.position')}
                  value={a.title ?? ''}
                  onChange={(e) => setAttendee(i, { title: e.currentTarget.value })}
                  style={{ flex: '1 1 160px' }}
                  data-testid="attendee-title"
                />
                <TextInput
                  size="md"
                  label={i === 0 ? t('visit.record.organisation') : undefined}
                  aria-label={t('visit.record.organisation')}
                  value={a.organisation ?? ''}
                  onChange={(e) => setAttendee(i, { organisation: e.currentTarget.value })}
                  style={{ flex: '2 1 200px' }}
                  data-testid="attendee-organisation"
                />
                <ActionIcon
                  size="xl"
                  variant="subtle"
                  color="red"
                  aria-label={t('visit.record.removeAttendee')}
                  onClick={() => onChange({ attendees: removeAt(attendees, i) })}
                >
                  ✕
                </ActionIcon>
              </Group>
            ) : (
              <Text key={i} size="sm" data-testid="attendee">
                {[[a.honorific, a.name].filter(Boolean).join(' '), a.title, a.organisation].filter(Boolean).join(' — ')}
              </Text>
            ),
          )}
          {editable && (
            <Group>
              <Button
                size="md"
                variant="default"
                onClick={() => onChange({ attendees: [...attendees, BLANK] })}
                data-testid="attendee-add"
              >
                + {t('visit.record.addAttendee')}
              </Button>
            </Group>
          )}
        </Stack>

        <GpsField record={record} editable={editable} onChange={onChange} />

        {editable ? (
          <Textarea
            size="md"
            label={t('visit.record.note')}
            value={record.record_note ?? ''}
            onChange={(e) => onChange({ record_note: e.currentTarget.value }, true)}
            autosize
            minRows={3}
            data-testid="record-note"
          />
        ) : (
          <Field label={t('visit.record.note')}>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {record.record_note || t('common.none')}
            </Text>
          </Field>
        )}

        {editable ? (
          <Textarea
            size="md"
            label={t('visit.record.hostComments')}
            value={record.host_comments ?? ''}
            onChange={(e) => onChange({ host_comments: e.currentTarget.value }, true)}
            autosize
            minRows={2}
            data-testid="record-host-comments"
          />
        ) : (
          <Field label={t('visit.record.hostComments')}>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {record.host_comments || t('common.none')}
            </Text>
          </Field>
        )}
      </Stack>
    </Section>
  );
}
