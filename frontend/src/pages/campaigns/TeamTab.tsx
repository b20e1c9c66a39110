import { useEffect, useState } from 'react';
import {
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/problem';
import { TEAM_ROLES, type Campaign, type TeamMember, type TeamMemberCreate, type TeamRole } from '../../api/types';
import { EntitySelect } from '../../components/EntitySelect';
import { ErrorAlert, useErrorMessage } from '../../components/ErrorAlert';
import { PageLoader } from '../../components/States';
import { blankToNull, useServerErrors } from '../../lib/forms';
import { enumLabel } from '../registry/labels';
import type { CampaignAccess } from './access';
import { addMember, removeMember, updateMember, useRefreshCampaign, useTeam, useWarnings } from './campaignsApi';
import { ConfirmButton, FormActions, Section, WarningsAlert } from './parts';

const ROLE_COLORS: Record<TeamRole, string> = { head: 'red', deputy: 'orange', member: 'blue', secretary: 'grape' };
const MEMBER_FIELDS = ['user_id', 'full_name', 'agency_id', 'title', 'phone', 'role', 'honorific'] as const;

type Honorific = NonNullable<TeamMember['honorific']>;
/** How the documents address a member ("Ông Lý Việt Hưng"); none: the name alone. */
const HONORIFICS: readonly Honorific[] = ['Ông', 'Bà'];
const NO_HONORIFIC = 'none';
const honorificChoices = (none: string) => [
  { value: NO_HONORIFIC, label: none },
  ...HONORIFICS.map((h) => ({ value: h, label: h })),
];
const toHonorific = (v: string | null): Honorific | null =>
  HONORIFICS.includes(v as Honorific) ? (v as Honorific) : null;

function MemberFormModal({ campaign, opened, onClose }: { campaign: Campaign; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const refresh = useRefreshCampaign(campaign.id);
  const [mode, setMode] = useState<'user' | 'outside'>('user');
  const [userId, setUserId] = useState<number | null>(null);
  const [fullName, setFullName] = useState('');
  const [agencyId, setAgencyId] = useState<number | null>(null);
  const [title, setTitle] = useState('');
  const [phone, setPhone] = useState('');
  const [role, setRole] = useState<TeamRole>('member');
  const [honorific, setHonorific] = useState<Honorific | null>(null);
  const [invited, setInvited] = useState(false);
  const [missing, setMissing] = useState(false);
  const server = useServerErrors(MEMBER_FIELDS);
  const { reset } = server;

  useEffect(() => {
    if (opened) {
      setMode('user');
      setUserId(null);
      setFullName('');
      setAgencyId(null);
      setTitle('');
      setPhone('');
      setRole('member');
      setHonorific(null);
      setInvited(false);
      setMissing(false);
      reset();
    }
  }, [opened, reset]);

  const mutation = useMutation({
    mutationFn: () => {
      const body: TeamMemberCreate =
        mode === 'user'
          ? { user_id: userId, honorific, role, invited_as_needed: invited, position: 0 }
          : {
              honorific,
              full_name: fullName.trim(),
              agency_id: agencyId,
              title: blankToNull(title),
              phone: blankToNull(phone),
              role,
              invited_as_needed: invited,
              position: 0,
            };
      return addMember(campaign.id, body);
    },
    onSuccess: (m) => {
      refresh();
      notifications.show({ color: 'green', message: t('campaigns.team.added', { name: m.full_name }) });
      onClose();
    },
    onError: (err) => {
      if (err instanceof ApiError && (err.code === 'team_head_exists' || err.code === 'team_member_exists')) {
        reset();
        server.setFieldErrors(
          err.code === 'team_head_exists'
            ? { role: t('errors.team_head_exists') }
            : { user_id: t('errors.team_member_exists') },
        );
        return;
      }
      server.capture(err);
    },
  });

  const submit = () => {
    const bad = mode === 'user' ? userId == null : !fullName.trim();
    setMissing(bad);
    reset();
    if (!bad) mutation.mutate();
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t('campaigns.team.addTitle')} size="lg" centered>
      <Stack data-testid="member-form">
        <ErrorAlert error={server.error} details={server.general} />
        <SegmentedControl
          value={mode}
          onChange={(v) => setMode(v as typeof mode)}
          data={[
            { value: 'user', label: t('campaigns.team.systemUser') },
            { value: 'outside', label: t('campaigns.team.outsider') },
          ]}
        />
        {mode === 'user' ? (
          <EntitySelect
            source="users"
            label={t('campaigns.team.user')}
            placeholder={t('campaigns.team.userPlaceholder')}
            value={userId}
            onChange={setUserId}
            error={missing ? t('account.required') : server.fieldErrors.user_id}
            required
            data-testid="member-user"
          />
        ) : (
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('campaigns.team.fullName')}
              value={fullName}
              onChange={(e) => setFullName(e.currentTarget.value)}
              error={missing ? t('account.required') : server.fieldErrors.full_name}
              required
              data-testid="member-full-name"
            />
            <EntitySelect
              source="agencies"
              label={t('campaigns.team.agency')}
              value={agencyId}
              onChange={setAgencyId}
              error={server.fieldErrors.agency_id}
            />
            <TextInput
              label={t('campaigns.team.jobTitle')}
              value={title}
              onChange={(e) => setTitle(e.currentTarget.value)}
              error={server.fieldErrors.title}
            />
            <TextInput
              label={t('campaigns.team.phone')}
              type="tel"
              value={phone}
              onChange={(e) => setPhone(e.currentTarget.value)}
              error={server.fieldErrors.phone}
            />
          </SimpleGrid>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Stack gap={4}>
            <Text size="sm" fw={500} id="member-honorific-label">
              {t('campaigns.team.honorific')}
            </Text>
            <SegmentedControl
              aria-labelledby="member-honorific-label"
              value={honorific ?? NO_HONORIFIC}
              onChange={(v) => setHonorific(toHonorific(v))}
              data={honorificChoices(t('campaigns.team.honorificNone'))}
              data-testid="member-honorific"
            />
            <Text size="xs" c={server.fieldErrors.honorific ? 'red' : 'dimmed'}>
              {server.fieldErrors.honorific ?? t('campaigns.team.honorificHint')}
            </Text>
          </Stack>
          <Select
            label={t('campaigns.fields.teamRole')}
            data={TEAM_ROLES.map((r) => ({ value: r, label: enumLabel(t, 'campaigns.teamRoles', r) }))}
            value={role}
            onChange={(v) => v && setRole(v as TeamRole)}
            allowDeselect={false}
            error={server.fieldErrors.role}
            comboboxProps={{ withinPortal: true }}
            data-testid="member-role"
          />
        </SimpleGrid>
        <Checkbox
          label={t('campaigns.fields.invitedAsNeeded')}
          checked={invited}
          onChange={(e) => setInvited(e.currentTarget.checked)}
        />
        <FormActions
          onCancel={onClose}
          onSubmit={submit}
          loading={mutation.isPending}
          label={t('campaigns.team.add')}
          testId="member-save"
        />
      </Stack>
    </Modal>
  );
}

/** "Đoàn kiểm tra": the members, their roles, and the warnings about the team and schedule. */
export function TeamTab({ campaign, access }: { campaign: Campaign; access: CampaignAccess }) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const refresh = useRefreshCampaign(campaign.id);
  const team = useTeam(campaign.id);
  const warnings = useWarnings(campaign.id, access.warnings);
  const [adding, setAdding] = useState(false);
  const editable = access.editParts;

  const update = useMutation({
    mutationFn: ({
      member,
      changes,
    }: {
      member: TeamMember;
      changes: { role?: TeamRole; invited_as_needed?: boolean; honorific?: Honorific | null };
    }) => updateMember(campaign.id, member, changes),
    onSuccess: () => refresh(),
    onError: (err) => {
      refresh();
      notifications.show({
        color: 'red',
        message:
          err instanceof ApiError && err.code === 'team_head_exists' ? t('errors.team_head_exists') : errorMessage(err),
      });
    },
  });
  /** One head per team: say so at once rather than asking the API to refuse. */
  const changeRole = (member: TeamMember, role: TeamRole) => {
    if (role === 'head' && team.data?.some((x) => x.role === 'head' && x.id !== member.id)) {
      notifications.show({ color: 'red', message: t('errors.team_head_exists') });
      return;
    }
    update.mutate({ member, changes: { role } });
  };

  const memberWarnings = new Map<number, string[]>();
  for (const w of warnings.data?.items ?? []) {
    if (w.team_member_id != null)
      memberWarnings.set(w.team_member_id, [...(memberWarnings.get(w.team_member_id) ?? []), w.message]);
  }

  return (
    <Stack gap="md">
      {warnings.isError && <ErrorAlert error={warnings.error} />}
      <WarningsAlert warnings={warnings.data?.items ?? []} />
      <Section
        title={t('campaigns.team.title')}
        testId="team"
        actions={
          editable && (
            <Button size="xs" onClick={() => setAdding(true)} data-testid="member-add">
              {t('campaigns.team.add')}
            </Button>
          )
        }
      >
        {team.isPending ? (
          <PageLoader />
        ) : team.isError ? (
          <ErrorAlert error={team.error} onRetry={() => void team.refetch()} />
        ) : team.data.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="team-empty">
            {t('campaigns.team.empty')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={860}>
            <Table verticalSpacing="xs" fz="sm" data-testid="team-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('campaigns.team.fullName')}</Table.Th>
                  {editable && <Table.Th>{t('campaigns.team.honorific')}</Table.Th>}
                  <Table.Th>{t('campaigns.team.agency')}</Table.Th>
                  <Table.Th>{t('campaigns.fields.teamRole')}</Table.Th>
                  <Table.Th>{t('campaigns.fields.invitedAsNeeded')}</Table.Th>
                  {editable && (
                    <Table.Th>
                      <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                    </Table.Th>
                  )}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {team.data.map((m) => {
                  const notes = memberWarnings.get(m.id);
                  return (
                    <Table.Tr key={m.id} data-testid="member-row" data-role={m.role}>
                      <Table.Td>
                        <Group gap={6}>
                          <Text size="sm" fw={500} data-testid="member-name">
                            {m.honorific ? `${m.honorific} ${m.full_name}` : m.full_name}
                          </Text>
                          {m.user_id == null && (
                            <Badge size="xs" variant="outline" color="gray">
                              {t('campaigns.team.outsiderBadge')}
                            </Badge>
                          )}
                          {notes && (
                            <Tooltip label={notes.join('\n')} multiline w={320} withArrow>
                              <Badge size="xs" color="yellow" variant="filled" data-testid="member-warning">
                                {t('campaigns.team.warningBadge')}
                              </Badge>
                            </Tooltip>
                          )}
                        </Group>
                        <Text size="xs" c="dimmed">
                          {[m.title, m.phone].filter(Boolean).join(' · ')}
                        </Text>
                      </Table.Td>
                      {editable && (
                        <Table.Td>
                          <Select
                            size="xs"
                            w={110}
                            aria-label={t('campaigns.team.honorific')}
                            data={honorificChoices(t('campaigns.team.honorificNone'))}
                            value={m.honorific ?? NO_HONORIFIC}
                            onChange={(v) => {
                              const next = toHonorific(v);
                              if (v && next !== (m.honorific ?? null)) update.mutate({ member: m, changes: { honorific: next } });
                            }}
                            allowDeselect={false}
                            comboboxProps={{ withinPortal: true }}
                            data-testid="member-honorific-select"
                          />
                        </Table.Td>
                      )}
                      <Table.Td>{m.agency_name ?? t('common.none')}</Table.Td>
                      <Table.Td>
                        {editable ? (
                          <Select
                            size="xs"
                            w={150}
                            aria-label={t('campaigns.fields.teamRole')}
                            data={TEAM_ROLES.map((r) => ({ value: r, label: enumLabel(t, 'campaigns.teamRoles', r) }))}
                            value={m.role}
                            onChange={(v) => v && v !== m.role && changeRole(m, v as TeamRole)}
                            allowDeselect={false}
                            comboboxProps={{ withinPortal: true }}
                            data-testid="member-role-select"
                          />
                        ) : (
                          <Badge color={ROLE_COLORS[m.role]} variant="light">
                            {enumLabel(t, 'campaigns.teamRoles', m.role)}
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td>
                        {editable ? (
                          <Checkbox
                            aria-label={t('campaigns.fields.invitedAsNeeded')}
                            checked={m.invited_as_needed}
                            onChange={(e) =>
                              update.mutate({ member: m, changes: { invited_as_needed: e.currentTarget.checked } })
                            }
                          />
                        ) : m.invited_as_needed ? (
                          t('common.yes')
                        ) : (
                          t('common.no')
                        )}
                      </Table.Td>
                      {editable && (
                        <Table.Td ta="right">
                          <ConfirmButton
                            label={t('campaigns.team.remove')}
                            message={t('campaigns.team.confirmRemove', { name: m.full_name })}
                            action={() => removeMember(campaign.id, m.id)}
                            onDone={refresh}
                          />
                        </Table.Td>
                      )}
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Section>
      {editable && <MemberFormModal campaign={campaign} opened={adding} onClose={() => setAdding(false)} />}
    </Stack>
  );
}
