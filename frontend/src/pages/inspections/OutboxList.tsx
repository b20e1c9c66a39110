// What waits in the outbox (free findings with their photos) and what the server refused, with why (in
// Vietnamese: the problem's code has its text), retry and discard (after a confirmation).
import { useState } from 'react';
import { Badge, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { NoteDialog } from '../campaigns/parts';
import { enumLabel } from '../registry/labels';
import { formatDateTime } from '../../lib/format';
import { discard, keep, type OutboxEntry } from './fieldOutbox';

/** The reason a refusal is shown with: the code's own text when there is one, else the server's words. */
export function useFailureText() {
  const { t, i18n } = useTranslation();
  return (e: OutboxEntry) => {
    const f = e.failure;
    if (!f) return '';
    if (f.code && i18n.exists(`errors.${f.code}`)) return t(`errors.${f.code}`);
    if (f.status === 413) return t('field.photo.size', { name: '' });
    if (f.status === 415) return t('field.photo.type', { name: '' });
    return t('field.queue.refused', { status: f.status, message: f.message });
  };
}

export function OutboxList({ entries, onRetry }: { entries: OutboxEntry[]; onRetry?: () => void }) {
  const { t } = useTranslation();
  const failureText = useFailureText();
  const [confirm, setConfirm] = useState<OutboxEntry | null>(null);
  return (
    <Stack gap="xs" data-testid="outbox-list">
      {entries.map((e) => (
        <Paper key={e.key} withBorder radius="md" p="sm" data-testid="outbox-entry" data-state={e.failure ? 'failed' : 'waiting'}>
          <Group justify="space-between" wrap="wrap" gap="xs">
            <Stack gap={2} style={{ flex: '1 1 280px', minWidth: 0 }}>
              <Group gap="xs">
                <Badge color={e.failure ? 'red' : 'orange'} variant="light">
                  {e.failure ? t('field.queue.failed') : t('field.queue.waiting')}
                </Badge>
                <Badge variant="outline" color="gray">
                  {enumLabel(t, 'campaigns.severities', e.body.severity)}
                </Badge>
                <Text size="xs" c="dimmed">
                  {formatDateTime(new Date(e.seq).toISOString())}
                </Text>
              </Group>
              <Text size="sm" fw={500}>
                {t('field.queue.finding')}: {e.body.description}
              </Text>
              <Text size="xs" c="dimmed">
                {t('field.queue.photos', { count: e.photos.length, sent: e.photos.filter((p) => p.sent).length })}
              </Text>
              {e.failure && (
                <Text size="sm" c="red" data-testid="outbox-failure">
                  {failureText(e)}
                </Text>
              )}
            </Stack>
            <Group gap="xs">
              {e.failure && (
                <Button
                  size="sm"
                  variant="light"
                  onClick={() => void keep({ ...e, failure: null }).then(() => onRetry?.())}
                  data-testid="outbox-retry"
                >
                  {t('common.retry')}
                </Button>
              )}
              <Button size="sm" variant="subtle" color="red" onClick={() => setConfirm(e)} data-testid="outbox-discard">
                {t('field.queue.discard')}
              </Button>
            </Group>
          </Group>
        </Paper>
      ))}
      <NoteDialog
        opened={confirm !== null}
        onClose={() => setConfirm(null)}
        title={t('field.queue.discard')}
        message={t('field.queue.discardConfirm')}
        note="none"
        confirmLabel={t('field.queue.discard')}
        color="red"
        onConfirm={() => {
          if (confirm) void discard(confirm).then(() => setConfirm(null));
        }}
      />
    </Stack>
  );
}
