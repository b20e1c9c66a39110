// The notifications, newest first, in a drawer: click one to mark it read and open what it is about.
import { Box, Button, Drawer, Group, Stack, Text, UnstyledButton } from '@mantine/core';
import { notifications as toasts } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ErrorAlert, useErrorMessage } from '../components/ErrorAlert';
import { PageLoader } from '../components/States';
import { formatDateTime } from '../lib/format';
import { useCursorList } from '../lib/useCursorList';
import { inAppPath } from './links';
import {
  listNotifications,
  markAllRead,
  markRead,
  notificationKeys,
  useRefreshNotifications,
  type Notification,
} from './notificationsApi';

interface Props {
  opened: boolean;
  onClose: () => void;
  unread: number;
}

function Item({ n, onOpen }: { n: Notification; onOpen: (n: Notification) => void }) {
  const { t } = useTranslation();
  const unread = n.read_at == null;
  return (
    <UnstyledButton
      onClick={() => onOpen(n)}
      p="sm"
      w="100%"
      data-testid="notification-item"
      data-unread={unread}
      aria-label={unread ? `${t('notifications.unreadMark')}: ${n.title}` : n.title}
      style={{
        borderRadius: 'var(--mantine-radius-sm)',
        background: unread ? 'var(--mantine-color-green-0)' : undefined,
        borderLeft: `3px solid ${unread ? 'var(--mantine-color-green-6)' : 'transparent'}`,
      }}
    >
      <Text size="sm" fw={unread ? 700 : 500}>
        {n.title}
      </Text>
      <Text size="xs" c="dimmed" lineClamp={3} mt={2}>
        {n.body}
      </Text>
      <Text size="xs" c="dimmed" mt={4}>
        {formatDateTime(n.created_at)}
      </Text>
    </UnstyledButton>
  );
}

export default function NotificationDrawer({ opened, onClose, unread }: Props) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const errorMessage = useErrorMessage();
  const refresh = useRefreshNotifications();
  const list = useCursorList<Notification>(notificationKeys.list, listNotifications);

  const open = useMutation({
    mutationFn: async (n: Notification) => {
      if (n.read_at == null) await markRead(n.id);
      return n;
    },
    onSuccess: (n) => {
      refresh();
      const path = inAppPath(n.link, window.location.origin);
      if (path) {
        onClose();
        navigate(path);
      }
    },
    onError: (err) => toasts.show({ color: 'red', message: errorMessage(err) }),
  });
  const readAll = useMutation({
    mutationFn: markAllRead,
    onSuccess: refresh,
    onError: (err) => toasts.show({ color: 'red', message: errorMessage(err) }),
  });

  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      position="right"
      size="md"
      title={<Text fw={700}>{t('notifications.title')}</Text>}
      closeButtonProps={{ 'aria-label': t('common.close') }}
      data-testid="notifications-drawer"
    >
      <Stack gap="sm" data-testid="notifications-panel">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Text size="sm" c="dimmed" data-testid="notifications-unread">
            {unread > 0 ? t('notifications.unreadCount', { count: unread }) : t('notifications.allRead')}
          </Text>
          <Button
            size="xs"
            variant="light"
            onClick={() => readAll.mutate()}
            loading={readAll.isPending}
            disabled={unread === 0}
            data-testid="notifications-read-all"
          >
            {t('notifications.markAllRead')}
          </Button>
        </Group>
        {list.isPending ? (
          <PageLoader />
        ) : list.isError ? (
          <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
        ) : list.items.length === 0 ? (
          <Text c="dimmed" ta="center" py="lg" data-testid="notifications-empty">
            {t('notifications.empty')}
          </Text>
        ) : (
          <>
            <Stack gap={4} component="ul" m={0} p={0} style={{ listStyle: 'none' }} aria-label={t('notifications.title')}>
              {list.items.map((n) => (
                <Box component="li" key={n.id}>
                  <Item n={n} onOpen={(x) => open.mutate(x)} />
                </Box>
              ))}
            </Stack>
            {list.hasNextPage && (
              <Button
                variant="subtle"
                onClick={() => void list.fetchNextPage()}
                loading={list.isFetchingNextPage}
                data-testid="notifications-more"
              >
                {t('common.loadMore')}
              </Button>
            )}
          </>
        )}
      </Stack>
    </Drawer>
  );
}
