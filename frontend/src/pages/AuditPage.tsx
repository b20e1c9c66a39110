import { Fragment, useState } from 'react';
import { Button, Code, Collapse, Grid, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { api } from '../api/client';
import { unwrap } from '../api/problem';
import type { AuditEvent, AuditQuery } from '../api/types';
import { CursorListBody } from '../components/CursorListBody';
import { ListFilters } from '../components/ListFilters';
import { formatDateTime } from '../lib/format';
import { PAGE_SIZE, useCursorList } from '../lib/useCursorList';

function JsonBlock({ label, value }: { label: string; value: unknown }) {
  return (
    <div>
      <Text size="xs" fw={600} c="dimmed" mb={4}>
        {label}
      </Text>
      <Code block style={{ maxHeight: 320, overflow: 'auto', whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
        {value == null ? '—' : JSON.stringify(value, null, 2)}
      </Code>
    </div>
  );
}

export default function AuditPage() {
  const { t } = useTranslation();
  const [entityTypeInput, setEntityTypeInput] = useState('');
  const [actionInput, setActionInput] = useState('');
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  const [entityType] = useDebouncedValue(entityTypeInput.trim(), 300);
  const [action] = useDebouncedValue(actionInput.trim(), 300);
  const [openRows, setOpenRows] = useState<Set<string | number>>(new Set());

  const filters = {
    entity_type: entityType || undefined,
    action: action || undefined,
    since: since ? dayjs(since).startOf('day').toISOString() : undefined,
    until: until ? dayjs(until).add(1, 'day').startOf('day').toISOString() : undefined,
  };
  const list = useCursorList<AuditEvent>(['audit-events', filters], async (cursor) => {
    const query = { limit: PAGE_SIZE, cursor, ...filters } as AuditQuery;
    return unwrap(await api.GET('/api/v1/audit-events', { params: { query } }));
  });
  const filtered = Boolean(entityType || action || since || until);

  const toggle = (id: string | number) =>
    setOpenRows((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <Stack gap="md">
      <Title order={2}>{t('audit.title')}</Title>
      <ListFilters
        search={entityTypeInput}
        onSearch={setEntityTypeInput}
        placeholder={t('audit.entityTypePlaceholder')}
        searchLabel={t('audit.entityType')}
        onClear={
          filtered
            ? () => {
                setEntityTypeInput('');
                setActionInput('');
                setSince('');
                setUntil('');
              }
            : undefined
        }
      >
        <TextInput
          label={t('audit.action')}
          placeholder={t('audit.actionPlaceholder')}
          value={actionInput}
          onChange={(e) => setActionInput(e.currentTarget.value)}
          w={{ base: '100%', xs: 200 }}
          data-testid="filter-action"
        />
        <TextInput
          type="date"
          label={t('audit.since')}
          value={since}
          onChange={(e) => setSince(e.currentTarget.value)}
          w={{ base: '100%', xs: 170 }}
        />
        <TextInput
          type="date"
          label={t('audit.until')}
          value={until}
          onChange={(e) => setUntil(e.currentTarget.value)}
          w={{ base: '100%', xs: 170 }}
        />
      </ListFilters>

      <Paper withBorder radius="md" p="sm">
        <CursorListBody
          list={list}
          filtered={filtered}
          minWidth={820}
          testId="audit-table"
          tableProps={{ verticalSpacing: 'xs' }}
          columns={[
            t('audit.occurredAt'),
            t('audit.actor'),
            t('audit.action'),
            t('audit.entityType'),
            t('audit.entityId'),
            t('audit.details'),
          ]}
          renderRow={(ev) => {
            const open = openRows.has(ev.id);
            return (
              <Fragment key={ev.id}>
                <Table.Tr>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(ev.occurred_at)}</Table.Td>
                  <Table.Td>{ev.actor_name || (ev.actor_id != null ? `#${ev.actor_id}` : t('audit.system'))}</Table.Td>
                  <Table.Td>
                    <Code>{ev.action}</Code>
                  </Table.Td>
                  <Table.Td>{ev.entity_type}</Table.Td>
                  <Table.Td>{ev.entity_id ?? t('common.none')}</Table.Td>
                  <Table.Td>
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      onClick={() => toggle(ev.id)}
                      aria-expanded={open}
                      disabled={ev.before == null && ev.after == null}
                    >
                      {open ? t('audit.hideDetails') : t('audit.showDetails')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
                {open && (
                  <Table.Tr>
                    <Table.Td colSpan={6} bg="gray.0">
                      <Collapse expanded={open}>
                        <Grid>
                          <Grid.Col span={{ base: 12, md: 6 }}>
                            <JsonBlock label={t('audit.before')} value={ev.before} />
                          </Grid.Col>
                          <Grid.Col span={{ base: 12, md: 6 }}>
                            <JsonBlock label={t('audit.after')} value={ev.after} />
                          </Grid.Col>
                        </Grid>
                        {ev.request_id && (
                          <Text size="xs" c="dimmed" mt="xs">
                            {t('audit.requestId')}: <Code>{ev.request_id}</Code>
                          </Text>
                        )}
                      </Collapse>
                    </Table.Td>
                  </Table.Tr>
                )}
              </Fragment>
            );
          }}
        />
      </Paper>
    </Stack>
  );
}
