import { Badge, Box, Group, Paper, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import type { SyncState } from './syncQueue';
import type { VisitSync } from './useVisitSync';

const COLORS: Record<SyncState, string> = { sent: 'green', local: 'orange', sending: 'blue', blocked: 'red' };

/**
 * Where what was typed stands: "Đã lưu trên máy — chưa gửi", "Đang gửi…", "Đã gửi"; stays in view
 * (sticky under the header) while the checklist scrolls.
 */
export function SyncStatus({ sync, show }: { sync: VisitSync; show: boolean }) {
  const { t } = useTranslation();
  if (!show) return null;
  return (
    <Paper
      withBorder
      radius="md"
      p="xs"
      shadow="xs"
      style={{ position: 'sticky', top: 'calc(var(--app-shell-header-height, 64px) + 4px)', zIndex: 5 }}
      data-testid="sync-bar"
    >
      <Group gap="sm" justify="space-between" wrap="wrap">
        <Group gap="xs">
          <Badge
            size="lg"
            color={COLORS[sync.state]}
            variant={sync.state === 'sent' ? 'light' : 'filled'}
            data-testid="sync-status"
            data-state={sync.state}
          >
            {t(`visit.sync.${sync.state}`)}
          </Badge>
          {sync.pending > 0 && (
            <Text size="sm" c="dimmed" data-testid="sync-pending">
              {t('visit.sync.pending', { count: sync.pending })}
            </Text>
          )}
        </Group>
        {!sync.online && (
          <Badge size="lg" color="gray" variant="outline" data-testid="sync-offline">
            {t('visit.sync.offline')}
          </Badge>
        )}
      </Group>
      {sync.incomplete > 0 && (
        <Text size="sm" c="orange" mt={4} data-testid="sync-incomplete">
          {t('visit.sync.incomplete', { count: sync.incomplete })}
        </Text>
      )}
      {sync.error != null && (
        <Box mt={4}>
          <ErrorAlert error={sync.error} onRetry={() => void sync.flush()} />
        </Box>
      )}
    </Paper>
  );
}
