import { useEffect, useState, type FormEvent } from 'react';
import { Button, Group, Modal, MultiSelect, PasswordInput, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/problem';
import { ROLES, type User } from '../../api/types';
import { EntitySelect } from '../../components/EntitySelect';
import { ErrorAlert } from '../../components/ErrorAlert';
import { roleLabel } from '../../components/RoleBadges';
import { blankToNull, MIN_PASSWORD, useServerErrors } from '../../lib/forms';
import { createUser, updateUser } from './usersApi';

const FIELDS = [
  'username',
  'full_name',
  'password',
  'email',
  'phone',
  'title',
  'agency_id',
  'roles',
  'scope_unit_id',
] as const;
type Field = (typeof FIELDS)[number];

interface Values {
  username: string;
  full_name: string;
  password: string;
  email: string;
  phone: string;
  title: string;
  agency_id: number | null;
  roles: string[];
  scope_unit_id: number | null;
}

function initialValues(user: User | null): Values {
  return {
    username: user?.username ?? '',
    full_name: user?.full_name ?? '',
    password: '',
    email: user?.email ?? '',
    phone: user?.phone ?? '',
    title: user?.title ?? '',
    agency_id: user?.agency_id ?? null,
    roles: [...(user?.roles ?? [])],
    scope_unit_id: user?.scope_unit_id ?? null,
  };
}

interface Props {
  opened: boolean;
  /** null = create a new user. */
  user: User | null;
  onClose: () => void;
}

export function UserFormModal({ opened, user, onClose }: Props) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const isEdit = user !== null;
  const [values, setValues] = useState<Values>(() => initialValues(user));
  const [localErrors, setLocalErrors] = useState<Partial<Record<Field, string>>>({});
  const server = useServerErrors(FIELDS);
  const { reset: resetServer } = server;

  // Reset the form each time the modal opens (possibly for another user). The
  // user's *version* may change while it is open (after a 412 the list is
  // reloaded); that must not wipe what the admin typed.
  useEffect(() => {
    if (opened) {
      setValues(initialValues(user));
      setLocalErrors({});
      resetServer();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened, user?.id]);

  const set = <K extends keyof Values>(key: K, value: Values[K]) => setValues((v) => ({ ...v, [key]: value }));

  const mutation = useMutation({
    mutationFn: async (): Promise<User> => {
      const common = {
        full_name: values.full_name.trim(),
        email: blankToNull(values.email),
        phone: blankToNull(values.phone),
        title: blankToNull(values.title),
        agency_id: values.agency_id,
        roles: values.roles,
        scope_unit_id: values.scope_unit_id,
      };
      if (!user) {
        return createUser({ ...common, username: values.username.trim(), password: values.password });
      }
      return updateUser(user, common);
    },
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: ['users'] });
      notifications.show({
        color: 'green',
        message: t(isEdit ? 'users.updated' : 'users.created', { username: saved.username }),
      });
      onClose();
    },
    onError: (err) => {
      if (err instanceof ApiError && (err.status === 412 || err.status === 428)) {
        void queryClient.invalidateQueries({ queryKey: ['users'] });
      }
      if (err instanceof ApiError && !isEdit && (err.code === 'duplicate_username' || (err.status === 409 && !err.code))) {
        resetServer();
        server.setFieldErrors({ username: t('errors.duplicate_username') });
        return;
      }
      server.capture(err);
    },
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Partial<Record<Field, string>> = {};
    if (!isEdit && !values.username.trim()) errs.username = t('account.required');
    if (!values.full_name.trim()) errs.full_name = t('account.required');
    if (!isEdit && values.password.length < MIN_PASSWORD) errs.password = t('account.passwordTooShort');
    if (values.roles.length === 0) errs.roles = t('users.rolesRequired');
    setLocalErrors(errs);
    resetServer();
    if (Object.keys(errs).length === 0) mutation.mutate();
  };

  const err = (f: Field) => localErrors[f] ?? server.fieldErrors[f];

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={user ? t('users.editTitle', { username: user.username }) : t('users.createTitle')}
      size="lg"
      centered
    >
      <form onSubmit={onSubmit} noValidate data-testid="user-form">
        <Stack>
          <ErrorAlert error={server.error} details={server.general} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('users.username')}
              value={values.username}
              onChange={(e) => set('username', e.currentTarget.value)}
              error={err('username')}
              disabled={isEdit}
              required={!isEdit}
              autoComplete="off"
              data-testid="user-username"
            />
            <TextInput
              label={t('users.fullName')}
              value={values.full_name}
              onChange={(e) => set('full_name', e.currentTarget.value)}
              error={err('full_name')}
              required
              data-testid="user-fullname-input"
            />
            {!isEdit && (
              <PasswordInput
                label={t('users.password')}
                description={t('account.passwordHint')}
                value={values.password}
                onChange={(e) => set('password', e.currentTarget.value)}
                error={err('password')}
                required
                autoComplete="new-password"
                data-testid="user-password"
              />
            )}
            <TextInput
              label={t('users.jobTitle')}
              value={values.title}
              onChange={(e) => set('title', e.currentTarget.value)}
              error={err('title')}
            />
            <TextInput
              label={t('users.email')}
              type="email"
              value={values.email}
              onChange={(e) => set('email', e.currentTarget.value)}
              error={err('email')}
            />
            <TextInput
              label={t('users.phone')}
              type="tel"
              value={values.phone}
              onChange={(e) => set('phone', e.currentTarget.value)}
              error={err('phone')}
            />
          </SimpleGrid>
          <MultiSelect
            label={t('users.roles')}
            data={ROLES.map((r) => ({ value: r, label: roleLabel(t, r) }))}
            value={values.roles}
            onChange={(v) => set('roles', v)}
            error={err('roles')}
            required
            comboboxProps={{ withinPortal: true }}
            data-testid="user-roles"
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <EntitySelect
              source="agencies"
              label={t('users.agency')}
              placeholder={t('users.selectAgency')}
              value={values.agency_id}
              onChange={(v) => set('agency_id', v)}
              error={err('agency_id')}
            />
            <EntitySelect
              source="admin-units"
              label={t('users.scopeUnit')}
              placeholder={t('users.selectUnit')}
              value={values.scope_unit_id}
              onChange={(v) => set('scope_unit_id', v)}
              error={err('scope_unit_id')}
            />
          </SimpleGrid>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="green" loading={mutation.isPending} data-testid="user-save">
              {isEdit ? t('common.save') : t('common.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
