import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { unwrap } from '../api/problem';
import { AGENCY_KINDS, type AgenciesQuery, type Agency } from '../api/types';
import { DatedRegister } from '../components/DatedRegister';
import { enumLabel } from './registry/labels';

export default function AgenciesPage() {
  const { t } = useTranslation();
  const kindLabel = (kind: string) => enumLabel(t, 'agencies.kinds', kind);
  return (
    <DatedRegister<Agency>
      title={t('agencies.title')}
      searchPlaceholder={t('agencies.searchPlaceholder')}
      queryKey="agencies"
      fetchPage={async (query) =>
        unwrap(await api.GET('/api/v1/agencies', { params: { query: query as AgenciesQuery } }))
      }
      option={{
        param: 'kind',
        label: t('agencies.kind'),
        values: AGENCY_KINDS,
        labelOf: kindLabel,
        testId: 'filter-kind',
        width: 200,
      }}
      table={{ testId: 'agencies-table', minWidth: 760 }}
      middle={[
        { header: t('agencies.shortName'), cell: (a) => a.short_name || t('common.none') },
        { header: t('agencies.kind'), cell: (a) => kindLabel(a.kind) },
      ]}
    />
  );
}
