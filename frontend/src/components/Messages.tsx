import { Button, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';

export function PageMessage({ title }: { title: string }) {
  const { t } = useTranslation();
  return (
    <Stack align="flex-start" gap="sm" py="xl" data-testid="page-message">
      <Title order={3}>{title}</Title>
      <Text c="dimmed">{t('app.title')}</Text>
      <Button component={Link} to="/" variant="light">
        {t('common.backHome')}
      </Button>
    </Stack>
  );
}

export function NoPermission() {
  const { t } = useTranslation();
  return <PageMessage title={t('common.noPermission')} />;
}
