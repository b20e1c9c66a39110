import { lazy, Suspense } from 'react';
import { Card, Group, SimpleGrid, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../auth/AuthContext';
import { menuFor } from '../nav/menu';
import { RoleBadges } from '../components/RoleBadges';
import { PageLoader } from '../components/States';

// The charts are a chunk of their own: the greeting and the links do not wait for them.
const Dashboard = lazy(() => import('./dashboard/Dashboard'));

export default function HomePage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  if (!me) return null;
  const links = menuFor(me.roles).filter((i) => i.key !== 'home');

  return (
    <Stack gap="lg" maw={1280}>
      <div>
        <Title order={2} data-testid="welcome">
          {t('home.welcome', { name: me.full_name })}
        </Title>
        <Text c="dimmed">{t('home.intro')}</Text>
      </div>

      <Suspense fallback={<PageLoader />}>
        <Dashboard />
      </Suspense>

      <SimpleGrid cols={{ base: 1, md: 3 }}>
        <Card withBorder radius="md">
          <Text size="sm" c="dimmed" mb={6}>
            {t('home.yourRoles')}
          </Text>
          {me.roles.length ? <RoleBadges roles={me.roles} size="md" /> : <Text>{t('home.noRoles')}</Text>}
        </Card>
        <Card withBorder radius="md">
          <Text size="sm" c="dimmed" mb={6}>
            {t('home.agency')}
          </Text>
          <Text fw={500}>{me.agency?.name ?? t('common.none')}</Text>
          {me.title && (
            <Text size="sm" c="dimmed">
              {me.title}
            </Text>
          )}
        </Card>
        <Card withBorder radius="md">
          <Text size="sm" c="dimmed" mb={6}>
            {t('home.scope')}
          </Text>
          <Text fw={500}>{me.scope_unit?.name ?? t('home.wholeProvince')}</Text>
        </Card>
      </SimpleGrid>

      <div>
        <Title order={3} size="h4" mb="sm">
          {t('home.quickLinks')}
        </Title>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }}>
          {links.map((item) => (
            <UnstyledButton key={item.key} component={Link} to={item.path}>
              <Card withBorder radius="md" padding="md" style={{ height: '100%' }}>
                <Group justify="space-between" wrap="nowrap">
                  <Text fw={600} c="green.8">
                    {t(item.labelKey)}
                  </Text>
                  <Text c="dimmed" aria-hidden>
                    →
                  </Text>
                </Group>
              </Card>
            </UnstyledButton>
          ))}
        </SimpleGrid>
      </div>
    </Stack>
  );
}
