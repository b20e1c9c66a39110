import { useState } from 'react';
import { Badge, Button, Group, Menu, Modal, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { ROLES, type User } from '../../api/types';
import { CursorListBody } from '../../components/CursorListBody';
import { useErrorMessage } from '../../components/ErrorAlert';
import { ListFilters } from '../../components/ListFilters';
import { RoleBadges, roleLabel } from '../../components/RoleBadges';
import { formatDateTime } from '../../lib/format';
import { useAgencyNames } from '../../lib/useAgencies';
import { PAGE_SIZE, useCursorList } from '../../lib/useCursorList';
import { ResetPasswordModal } from './ResetPasswordModal';
import { UserFormModal } from './UserFormModal';
import { listUsers, updateUser, type UserFilters } from './usersApi';

export default function UsersPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const errorMessage = useErrorMessage();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [role, setRole] = useState<string | null>(null);
  const [active, setActive] = useState<string | null>(null);
  const [formOpen, setFormOpen] = useState(false);
  const [editingId, setEditingId] = useState<User['id'] | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const [deactivating, setDeactivating] = useState<User | null>(null);

  const filters: UserFilters = {
    q: q || undefined,
    role: role ?? undefined,
    active: active === null ? undefined : active === 'true',
  };
  const list = useCursorList<User>(['users', filters], (cursor) => listUsers(filters, cursor, PAGE_SIZE));
  const agencies = useAgencyNames();
  const filtered = Boolean(q || role || active);
  // Always edit the freshest copy from the list (its version changes after a reload).
  const editing = editingId != null ? (list.items.find((u) => u.id === editingId) ?? null) : null;

  const toggleActive = useMutation({
    mutationFn: (user: User) => updateUser(user, { active: !user.active }),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: ['users'] });
      notifications.show({
        color: 'green',
        message: t(saved.active ? 'users.activated' : 'users.deactivated', { username: saved.username }),
      });
      setDeactivating(null);
    },
    onError: (err) => {
      void queryClient.invalidateQueries({ queryKey: ['users'] });
      notifications.show({ color: 'red', message: errorMessage(err) });
      setDeactivating(null);
    },
  });

  const openCreate = () => {
    setEditingId(null);
    setFormOpen(true);
  };
  const openEdit = (u: User) => {
    setEditingId(u.id);
    setFormOpen(true);
  };

  return (
    <Stack gap="md">
      <Title order={2}>{t('users.title')}</Title>
      <ListFilters
        search={search}
        onSearch={setSearch}
        placeholder={t('users.searchPlaceholder')}
        onClear={
          filtered
            ? () => {
                setSearch('');
                setRole(null);
                setActive(null);
              }
            : undefined
        }
        actions={
          <Button color="green" onClick={openCreate} data-testid="user-create">
            {t('users.create')}
          </Button>
        }
      >
        <Select
          label={t('users.role')}
          placeholder={t('common.all')}
          data={ROLES.map((r) => ({ value: r, label: roleLabel(t, r) }))}
          value={role}
          onChange={setRole}
          clearable
          w={{ base: '100%', xs: 220 }}
        />
        <Select
          label={t('users.activeFilter')}
          placeholder={t('common.all')}
          data={[
            { value: 'true', label: t('users.active') },
            { value: 'false', label: t('users.inactive') },
          ]}
          value={active}
          onChange={setActive}
          clearable
          w={{ base: '100%', xs: 170 }}
        />
      </ListFilters>

      <Paper withBorder radius="md" p="sm">
        <CursorListBody
          list={list}
          filtered={filtered}
          minWidth={980}
          testId="users-table"
          columns={[
            t('users.username'),
            t('users.fullName'),
            t('users.roles'),
            t('users.agency'),
            t('common.status'),
            t('users.updatedAt'),
            { ariaLabel: t('common.actions') },
          ]}
          renderRow={(u) => (
            <Table.Tr key={u.id} data-testid={`user-row-${u.username}`}>
              <Table.Td>
                <Text size="sm" ff="monospace">
                  {u.username}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{u.full_name}</Text>
                {u.title && (
                  <Text size="xs" c="dimmed">
                    {u.title}
                  </Text>
                )}
              </Table.Td>
              <Table.Td miw={150}>
                <RoleBadges roles={u.roles} size="xs" />
              </Table.Td>
              <Table.Td>
                {u.agency_id != null ? (agencies.get(u.agency_id) ?? `#${u.agency_id}`) : t('common.none')}
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <Badge color={u.active ? 'green' : 'gray'} variant="light" tt="none">
                  {u.active ? t('users.active') : t('users.inactive')}
                </Badge>
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(u.updated_at)}</Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap" justify="flex-end">
                  <Button size="compact-sm" variant="light" onClick={() => openEdit(u)}>
                    {t('common.edit')}
                  </Button>
                  <Menu position="bottom-end" withinPortal>
                    <Menu.Target>
                      <Button size="compact-sm" variant="subtle" aria-label={t('common.actions')}>
                        ⋯
                      </Button>
                    </Menu.Target>
                    <Menu.Dropdown>
                      <Menu.Item onClick={() => setResetting(u)}>{t('users.resetPassword')}</Menu.Item>
                      {u.active ? (
                        <Menu.Item color="red" onClick={() => setDeactivating(u)}>
                          {t('users.deactivate')}
                        </Menu.Item>
                      ) : (
                        <Menu.Item onClick={() => toggleActive.mutate(u)}>{t('users.activate')}</Menu.Item>
                      )}
                    </Menu.Dropdown>
                  </Menu>
                </Group>
              </Table.Td>
            </Table.Tr>
          )}
        />
      </Paper>

      <UserFormModal
        opened={formOpen && (editingId === null || editing !== null)}
        user={editing}
        onClose={() => {
          setFormOpen(false);
          setEditingId(null);
        }}
      />
      <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} />
      <Modal
        opened={deactivating !== null}
        onClose={() => setDeactivating(null)}
        title={t('users.deactivate')}
        centered
      >
        <Stack>
          <Text>{deactivating ? t('users.confirmDeactivate', { username: deactivating.username }) : ''}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDeactivating(null)}>
              {t('common.cancel')}
            </Button>
            <Button
              color="red"
              loading={toggleActive.isPending}
              onClick={() => deactivating && toggleActive.mutate(deactivating)}
              data-testid="confirm-deactivate"
            >
              {t('users.deactivate')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
