import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { Center, Loader, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useAuth } from './AuthContext';
import { canAccess, type MenuKey } from '../nav/menu';
import { NoPermission } from '../components/Messages';

export const LOGIN_PATH = '/dang-nhap';

export function FullScreenLoader() {
  const { t } = useTranslation();
  return (
    <Center h="100vh">
      <Stack align="center" gap="xs">
        <Loader />
        <Text c="dimmed" size="sm">
          {t('app.restoringSession')}
        </Text>
      </Stack>
    </Center>
  );
}

export function RequireAuth({ children }: { children: ReactNode }) {
  const { status } = useAuth();
  const location = useLocation();
  if (status === 'restoring') return <FullScreenLoader />;
  if (status === 'anonymous') {
    return <Navigate to={LOGIN_PATH} replace state={{ from: location.pathname + location.search }} />;
  }
  return <>{children}</>;
}

export function RequireMenu({ item, children }: { item: MenuKey; children: ReactNode }) {
  const { me } = useAuth();
  if (!canAccess(me?.roles, item)) return <NoPermission />;
  return <>{children}</>;
}
