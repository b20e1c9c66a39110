import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { unwrap } from '../api/problem';
import { ADMIN_UNIT_LEVELS, type AdminUnit, type AdminUnitsQuery } from '../api/types';
import { DatedRegister } from '../components/DatedRegister';
import { enumLabel } from './registry/labels';

export default function AdminUnitsPage() {
  const { t } = useTranslation();
  const levelLabel = (level: string) => enumLabel(t, 'adminUnits.levels', level);
  return (
    <DatedRegister<AdminUnit>
      title={t('adminUnits.title')}
      searchPlaceholder={t('adminUnits.searchPlaceholder')}
      queryKey="admin-units"
      fetchPage={async (query) =>
        unwrap(await api.GET('/api/v1/admin-units', { params: { query: query as AdminUnitsQuery } }))
      }
      option={{
        param: 'level',
        label: t('adminUnits.level'),
        values: ADMIN_UNIT_LEVELS,
        labelOf: levelLabel,
        testId: 'filter-level',
        width: 180,
      }}
      table={{ testId: 'admin-units-table', minWidth: 820 }}
      middle={[{ header: t('adminUnits.level'), cell: (u) => levelLabel(u.level) }]}
      after={[
        {
          header: t('adminUnits.formedFrom'),
          cell: (u) => (
            <Text size="sm" maw={280}>
              {u.formed_from_text || t('common.none')}
            </Text>
          ),
        },
      ]}
      // the parent's name, when that unit is among those already loaded
      nameNote={(u, rows) => {
        const parent = u.parent_id == null ? undefined : rows.find((r) => r.id === u.parent_id);
        return (
          parent && (
            <Text size="xs" c="dimmed">
              {parent.name}
            </Text>
          )
        );
      }}
    />
  );
}
