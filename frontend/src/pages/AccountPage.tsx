import { useState, type FormEvent } from 'react';
import { Button, Card, Grid, PasswordInput, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { api, fetchMe } from '../api/client';
import { ApiError, ensureOk } from '../api/problem';
import { useAuth } from '../auth/AuthContext';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageLoader } from '../components/States';
import { RoleBadges } from '../components/RoleBadges';
import { MIN_PASSWORD, useServerErrors } from '../lib/forms';

const PW_FIELDS = ['current_password', 'new_password'] as const;

function ChangePasswordForm() {
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [localErrors, setLocalErrors] = useState<{ current?: string; next?: string; confirm?: string }>({});
  const server = useServerErrors(PW_FIELDS);

  const mutation = useMutation({
    mutationFn: async () =>
      ensureOk(await api.POST('/api/v1/me/password', { body: { current_password: current, new_password: next } })),
    onSuccess: () => {
      setCurrent('');
      setNext('');
      setConfirm('');
      server.reset();
      notifications.show({ color: 'green', message: t('account.passwordChanged'), autoClose: 4000 });
    },
    onError: (err) => {
      if (err instanceof ApiError && err.code === 'wrong_password') {
        server.reset();
        server.setFieldErrors({ current_password: t('errors.wrong_password') });
        return;
      }
      server.capture(err);
    },
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const errs: typeof localErrors = {};
    if (!current) errs.current = t('account.required');
    if (next.length < MIN_PASSWORD) errs.next = t('account.passwordTooShort');
    else if (next === current) errs.next = t('account.passwordSame');
    if (confirm !== next) errs.confirm = t('account.passwordMismatch');
    setLocalErrors(errs);
    server.reset();
    if (Object.keys(errs).length) return;
    mutation.mutate();
  };

  return (
    <form onSubmit={onSubmit} noValidate data-testid="change-password-form">
      <Stack>
        <ErrorAlert error={server.error} details={server.general} />
        <PasswordInput
          label={t('account.currentPassword')}
          autoComplete="current-password"
          value={current}
          onChange={(e) => setCurrent(e.currentTarget.value)}
          error={localErrors.current ?? server.fieldErrors.current_password}
          required
        />
        <PasswordInput
          label={t('account.newPassword')}
          description={t('account.passwordHint')}
          autoComplete="new-password"
          value={next}
          onChange={(e) => setNext(e.currentTarget.value)}
          error={localErrors.next ?? server.fieldErrors.new_password}
          required
        />
        <PasswordInput
          label={t('account.confirmPassword')}
          autoComplete="new-password"
          value={confirm}
          onChange={(e) => setConfirm(e.currentTarget.value)}
          error={localErrors.confirm}
          required
        />
        <Button type="submit" loading={mutation.isPending} color="green" style={{ alignSelf: 'flex-start' }}>
          {t('account.submit')}
        </Button>
      </Stack>
    </form>
  );
}

export default function AccountPage() {
  const { t } = useTranslation();
  const { me: sessionMe, setMe } = useAuth();
  const query = useQuery({
    queryKey: ['me'],
    queryFn: async () => {
      const me = await fetchMe();
      setMe(me);
      return me;
    },
    initialData: sessionMe ?? undefined,
    staleTime: 0,
  });

  if (query.isPending) return <PageLoader />;
  if (query.isError && !query.data) return <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  const me = query.data!;

  const rows: [string, React.ReactNode][] = [
    [t('account.username'), me.username],
    [t('account.fullName'), me.full_name],
    [t('account.email'), me.email || t('common.none')],
    [t('account.phone'), me.phone || t('common.none')],
    [t('account.jobTitle'), me.title || t('common.none')],
    [t('account.agency'), me.agency ? me.agency.name : t('common.none')],
    [t('account.scope'), me.scope_unit ? `${me.scope_unit.name} (${me.scope_unit.code})` : t('home.wholeProvince')],
    [t('account.roles'), <RoleBadges key="roles" roles={me.roles} />],
  ];

  return (
    <Stack gap="lg" maw={1100}>
      <Title order={2}>{t('account.title')}</Title>
      <Grid>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Card withBorder radius="md">
            <Title order={3} size="h4" mb="sm">
              {t('account.profile')}
            </Title>
            <Table variant="vertical" layout="fixed" withTableBorder={false} data-testid="profile">
              <Table.Tbody>
                {rows.map(([label, value]) => (
                  <Table.Tr key={label}>
                    <Table.Th w={170}>
                      <Text size="sm" c="dimmed">
                        {label}
                      </Text>
                    </Table.Th>
                    <Table.Td>{value}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Card withBorder radius="md">
            <Title order={3} size="h4" mb="sm">
              {t('account.changePassword')}
            </Title>
            <ChangePasswordForm />
          </Card>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
