import { useEffect, useState, type FormEvent } from 'react';
import { Button, Group, Modal, PasswordInput, Stack } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import type { User } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { MIN_PASSWORD, useServerErrors } from '../../lib/forms';
import { resetPassword } from './usersApi';

const FIELDS = ['new_password'] as const;

export function ResetPasswordModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [localErrors, setLocalErrors] = useState<{ password?: string; confirm?: string }>({});
  const server = useServerErrors(FIELDS);
  const { reset: resetServer } = server;

  useEffect(() => {
    setPassword('');
    setConfirm('');
    setLocalErrors({});
    resetServer();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [user?.id]);

  const mutation = useMutation({
    mutationFn: () => resetPassword(user!.id, password),
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('users.passwordReset', { username: user!.username }) });
      onClose();
    },
    onError: (err) => server.capture(err),
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const errs: typeof localErrors = {};
    if (password.length < MIN_PASSWORD) errs.password = t('account.passwordTooShort');
    if (confirm !== password) errs.confirm = t('account.passwordMismatch');
    setLocalErrors(errs);
    resetServer();
    if (!errs.password && !errs.confirm) mutation.mutate();
  };

  return (
    <Modal
      opened={user !== null}
      onClose={onClose}
      title={user ? t('users.resetTitle', { username: user.username }) : ''}
      centered
    >
      <form onSubmit={onSubmit} noValidate data-testid="reset-password-form">
        <Stack>
          <ErrorAlert error={server.error} details={server.general} />
          <PasswordInput
            label={t('account.newPassword')}
            description={t('account.passwordHint')}
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={localErrors.password ?? server.fieldErrors.new_password}
            autoComplete="new-password"
            required
          />
          <PasswordInput
            label={t('account.confirmPassword')}
            value={confirm}
            onChange={(e) => setConfirm(e.currentTarget.value)}
            error={localErrors.confirm}
            autoComplete="new-password"
            required
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="green" loading={mutation.isPending}>
              {t('users.resetPassword')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
