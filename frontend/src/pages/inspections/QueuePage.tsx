// "Hàng đợi gửi": everything recorded on this device and not on the server yet — free findings with their photos —
// what waits, what the server refused and why, with retry and discard (after a confirmation).
import { useCallback, useEffect, useState } from 'react';
import { Anchor, Button, Group, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../auth/AuthContext';
import { onOutboxChange, outbox, sendAll, split, type OutboxEntry } from './fieldOutbox';
import { OutboxList } from './OutboxList';

export default function QueuePage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const [entries, setEntries] = useState<OutboxEntry[] | null>(null);
  const [sending, setSending] = useState(false);
  const [offline, setOffline] = useState(false);
  const userId = me?.id;

  useEffect(() => {
    if (userId == null) return;
    let live = true;
    const load = () =>
      void outbox(userId).then((list) => {
        if (live) setEntries(list);
      });
    load();
    const stop = onOutboxChange(load);
    return () => {
      live = false;
      stop();
    };
  }, [userId]);

  const sendNow = useCallback(async () => {
    if (userId == null) return;
    setSending(true);
    setOffline((await sendAll(userId)) === 'retry');
    setSending(false);
  }, [userId]);

  const { waiting, failed } = split(entries ?? []);
  const byVisit = [...new Set((entries ?? []).map((e) => e.visitId))];
  return (
    <Stack gap="md" maw={1000}>
      <div>
        <Title order={2}>{t('field.queue.title')}</Title>
        <Text c="dimmed" size="sm">
          {t('field.queue.hint')}
        </Text>
      </div>
      <Group gap="sm">
        <Text data-testid="queue-counts">{t('field.queue.counts', { waiting: waiting.length, failed: failed.length })}</Text>
        {waiting.length > 0 && (
          <Button onClick={() => void sendNow()} loading={sending} data-testid="queue-send">
            {t('field.queue.sendNow')}
          </Button>
        )}
      </Group>
      {offline && (
        <Text c="orange" size="sm" data-testid="queue-offline">
          {t('field.offline')}
        </Text>
      )}
      {entries && entries.length === 0 && (
        <Text c="dimmed" data-testid="queue-empty">
          {t('field.queue.empty')}
        </Text>
      )}
      {byVisit.map((visitId) => (
        <Stack key={visitId} gap="xs">
          <Anchor component={Link} to={`/luot-kiem-tra/${visitId}`} fw={600}>
            {t('field.queue.visit', { id: visitId })}
          </Anchor>
          <OutboxList entries={(entries ?? []).filter((e) => e.visitId === visitId)} onRetry={() => void sendNow()} />
        </Stack>
      ))}
    </Stack>
  );
}
