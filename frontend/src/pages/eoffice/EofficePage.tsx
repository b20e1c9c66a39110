// "Văn bản điện tử": the e-office inbox (packages received from the provincial e-office) and outbox (plans and
// notices sent to it), with what each became; the packages waiting for a person are routed from the details.
import { Anchor, Group, Paper, Select, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../auth/AuthContext';
import { CursorListBody } from '../../components/CursorListBody';
import { NoPermission } from '../../components/Messages';
import { formatDateTime } from '../../lib/format';
import { PAGE_SIZE, useCursorList } from '../../lib/useCursorList';
import { enumLabel } from '../registry/labels';
import { eofficeKeys, listEofficeDocuments } from './eofficeApi';
import { EofficeDrawer } from './EofficeDrawer';
import {
  ALL,
  canReadEoffice,
  canRouteEoffice,
  DIRECTIONS,
  documentNumber,
  KINDS,
  PARAMS,
  parseView,
  STATES,
  switchDirection,
  viewParams,
  type Direction,
  type EofficeItem,
  type EofficeKind,
  type EofficeState,
  type EofficeView,
} from './model';
import { KindBadge, StateBadge } from './parts';

const toId = (v: string | null): number | null => {
  const n = v ? Number(v) : NaN;
  return Number.isInteger(n) && n > 0 ? n : null;
};

export default function EofficePage() {
  const { me } = useAuth();
  // the route guard lets the same roles in; this covers a role list that changed under the page
  if (!canReadEoffice(me?.roles)) return <NoPermission />;
  return <EofficeBoxes roles={me?.roles} />;
}

function EofficeBoxes({ roles }: { roles: readonly string[] | undefined }) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const canRoute = canRouteEoffice(roles);
  const view = parseView(params, canRoute);
  const openId = toId(params.get(PARAMS.open));

  const setView = (next: EofficeView) =>
    setParams(
      (prev) => {
        const out = new URLSearchParams(prev);
        for (const [name, value] of Object.entries(viewParams(next, canRoute))) {
          if (value == null) out.delete(name);
          else out.set(name, value);
        }
        return out;
      },
      { replace: true },
    );
  const setOpen = (id: number | null) =>
    setParams(
      (prev) => {
        const out = new URLSearchParams(prev);
        if (id == null) out.delete(PARAMS.open);
        else out.set(PARAMS.open, String(id));
        return out;
      },
      { replace: true },
    );

  const list = useCursorList<EofficeItem>(eofficeKeys.list(view), (cursor) =>
    listEofficeDocuments(view, cursor, PAGE_SIZE),
  );

  const inbox = view.direction === 'in';
  const filtered = view.state != null || view.kind != null;
  const stateOptions = [
    { value: ALL, label: t('eoffice.allStates') },
    ...STATES[view.direction].map((s) => ({ value: s, label: enumLabel(t, 'eoffice.states', s) })),
  ];

  return (
    <Stack gap="md">
      <div>
        <Title order={2}>{t('eoffice.title')}</Title>
        <Text c="dimmed" size="sm">
          {t('eoffice.intro')}
        </Text>
      </div>

      <Tabs
        value={view.direction}
        onChange={(v) => setView(switchDirection(view, (v as Direction | null) ?? 'in', canRoute))}
        keepMounted={false}
      >
        <Tabs.List>
          {DIRECTIONS.map((d) => (
            <Tabs.Tab key={d} value={d} data-testid={`eoffice-tab-${d}`}>
              {t(`eoffice.boxes.${d}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>

      <Paper withBorder p="sm" radius="md">
        <Group align="flex-end" gap="sm" wrap="wrap">
          <Select
            label={t('eoffice.filters.state')}
            data={stateOptions}
            value={view.state ?? ALL}
            onChange={(v) => setView({ ...view, state: !v || v === ALL ? null : (v as EofficeState) })}
            allowDeselect={false}
            w={{ base: '100%', xs: 220 }}
            data-testid="eoffice-filter-state"
          />
          <Select
            label={t('eoffice.filters.kind')}
            placeholder={t('common.all')}
            data={KINDS.map((k) => ({ value: k, label: enumLabel(t, 'eoffice.kinds', k) }))}
            value={view.kind}
            onChange={(v) => setView({ ...view, kind: (v as EofficeKind | null) ?? null })}
            clearable
            w={{ base: '100%', xs: 200 }}
            data-testid="eoffice-filter-kind"
          />
        </Group>
      </Paper>

      <Paper withBorder radius="md" p="sm">
        <CursorListBody
          list={list}
          filtered={filtered}
          minWidth={900}
          testId="eoffice-table"
          columns={[
            t(inbox ? 'eoffice.fields.receivedAt' : 'eoffice.fields.sentAt'),
            t('eoffice.fields.number'),
            t('eoffice.fields.subject'),
            t(inbox ? 'eoffice.fields.sender' : 'eoffice.fields.campaign'),
            t('common.status'),
          ]}
          renderRow={(item) => {
            const number = documentNumber(item);
            return (
              <Table.Tr
                key={item.id}
                data-testid="eoffice-row"
                data-id={item.id}
                data-state={item.state}
                onClick={() => setOpen(item.id)}
                style={{ cursor: 'pointer' }}
              >
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(item.received_at)}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Text size="sm">{number || t('common.none')}</Text>
                  <KindBadge kind={item.kind} />
                </Table.Td>
                <Table.Td>
                  <Anchor
                    component="button"
                    type="button"
                    size="sm"
                    ta="left"
                    onClick={(e) => {
                      e.stopPropagation();
                      setOpen(item.id);
                    }}
                    data-testid="eoffice-open"
                  >
                    {item.subject}
                  </Anchor>
                  {item.type_name && (
                    <Text size="xs" c="dimmed">
                      {item.type_name}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {inbox ? (
                    <>
                      <Text size="sm">{item.sender_name || t('common.none')}</Text>
                      <Text size="xs" c="dimmed" ff="monospace">
                        {item.sender_code}
                      </Text>
                    </>
                  ) : item.campaign_id != null ? (
                    <Anchor
                      component={Link}
                      to={`/ke-hoach/${item.campaign_id}`}
                      size="sm"
                      onClick={(e) => e.stopPropagation()}
                      data-testid="eoffice-row-campaign"
                    >
                      {t('eoffice.detail.campaignNo', { id: item.campaign_id })}
                    </Anchor>
                  ) : (
                    t('common.none')
                  )}
                </Table.Td>
                <Table.Td>
                  <StateBadge state={item.state} />
                </Table.Td>
              </Table.Tr>
            );
          }}
        />
      </Paper>

      <EofficeDrawer id={openId} onClose={() => setOpen(null)} />
    </Stack>
  );
}
