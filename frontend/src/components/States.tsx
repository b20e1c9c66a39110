import { Button, Center, Group, Loader, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function PageLoader({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <Center py="xl" data-testid="page-loader">
      <Stack align="center" gap="xs">
        <Loader />
        <Text c="dimmed" size="sm">
          {label ?? t('app.loading')}
        </Text>
      </Stack>
    </Center>
  );
}

export function EmptyRows({ filtered }: { filtered?: boolean }) {
  const { t } = useTranslation();
  return (
    <Text c="dimmed" ta="center" py="lg" data-testid="empty-state">
      {filtered ? t('common.noMatch') : t('common.empty')}
    </Text>
  );
}

interface LoadMoreProps {
  count: number;
  hasMore: boolean;
  loading: boolean;
  onLoadMore: () => void;
}

export function LoadMore({ count, hasMore, loading, onLoadMore }: LoadMoreProps) {
  const { t } = useTranslation();
  return (
    <Group justify="space-between" mt="sm">
      <Text size="sm" c="dimmed">
        {t('common.shown', { count })}
      </Text>
      {hasMore && (
        <Button variant="light" onClick={onLoadMore} loading={loading} data-testid="load-more">
          {t('common.loadMore')}
        </Button>
      )}
    </Group>
  );
}
