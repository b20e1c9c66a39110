import { Suspense, useEffect } from 'react';
import { AppShell, Box, Burger, Button, Group, NavLink, ScrollArea, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../auth/AuthContext';
import { LOGIN_PATH } from '../auth/guards';
import { menuFor } from '../nav/menu';
import { LanguageSwitcher } from '../components/LanguageSwitcher';
import { PageLoader } from '../components/States';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { RoleBadges } from '../components/RoleBadges';
import { NotificationBell } from '../notifications/NotificationBell';

export function Brand() {
  const { t } = useTranslation();
  return (
    <Box miw={0}>
      <Title order={1} fz={{ base: 'lg', sm: 'xl' }} lh={1.1} c="green.8">
        {t('app.title')}
      </Title>
      <Text size="xs" c="dimmed" lh={1.2} truncate visibleFrom="xs">
        {t('app.subtitle')}
      </Text>
    </Box>
  );
}

export default function AppLayout() {
  const { t } = useTranslation();
  const { me, signOut } = useAuth();
  const [opened, { toggle, close }] = useDisclosure(false);
  const location = useLocation();
  const navigate = useNavigate();
  const items = menuFor(me?.roles);

  useEffect(() => close(), [location.pathname, close]);

  const isActive = (path: string) =>
    path === '/' ? location.pathname === '/' : location.pathname === path || location.pathname.startsWith(`${path}/`);

  const handleSignOut = async () => {
    await signOut();
    navigate(LOGIN_PATH, { replace: true });
  };

  return (
    <AppShell
      header={{ height: 64 }}
      navbar={{ width: { sm: 220, lg: 250 }, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap" gap="sm">
          <Group gap="sm" wrap="nowrap" miw={0}>
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.menu')} />
            <Link to="/" style={{ textDecoration: 'none', minWidth: 0 }}>
              <Brand />
            </Link>
          </Group>
          <Group gap="xs" wrap="nowrap" miw={0}>
            <Text fw={600} size="sm" truncate maw={{ base: 120, sm: 260 }} visibleFrom="xs" data-testid="user-fullname" title={me?.full_name}>
              {me?.full_name}
            </Text>
            <NotificationBell />
            <LanguageSwitcher size="xs" />
            <Button variant="default" size="xs" onClick={() => void handleSignOut()} data-testid="sign-out">
              {t('auth.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="xs" aria-label={t('nav.menu')}>
        <AppShell.Section grow component={ScrollArea}>
          <nav data-testid="main-nav">
            {items.map((item) => (
              <NavLink
                key={item.key}
                component={Link}
                to={item.path}
                label={t(item.labelKey)}
                active={isActive(item.path)}
                data-testid={`nav-${item.key}`}
                variant="light"
                color="green"
                style={{ borderRadius: 'var(--mantine-radius-sm)' }}
              />
            ))}
          </nav>
        </AppShell.Section>
        <AppShell.Section>
          <Stack gap={4} p="xs" style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
            <Text size="xs" c="dimmed">
              {me?.username}
            </Text>
            <RoleBadges roles={me?.roles ?? []} size="xs" />
          </Stack>
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main bg="gray.0">
        <ErrorBoundary key={location.pathname}>
          <Suspense fallback={<PageLoader />}>
            <Outlet />
          </Suspense>
        </ErrorBoundary>
      </AppShell.Main>
    </AppShell>
  );
}
