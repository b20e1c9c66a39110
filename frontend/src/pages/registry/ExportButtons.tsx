import { useState } from 'react';
import { Button, Group } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../../components/ErrorAlert';
import { saveBlob } from '../../lib/download';
import { exportList, type ExportFormat, type ProducerFilters, type ProductFilters } from './registryApi';

interface Props {
  list: 'products' | 'producers';
  /** The filters of the list on screen: the file holds every row they select. */
  filters: ProductFilters | ProducerFilters;
}

/** "Tải Excel" / "Tải CSV": downloads the filtered list with the session's token, saved under the server's name. */
export function ExportButtons({ list, filters }: Props) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const [busy, setBusy] = useState<ExportFormat | null>(null);

  const download = async (format: ExportFormat) => {
    setBusy(format);
    try {
      const { blob, filename } = await exportList(list, filters, format);
      saveBlob(blob, filename);
    } catch (err) {
      notifications.show({ color: 'red', title: t('registry.exportFailed'), message: errorMessage(err) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <Group gap="xs" wrap="nowrap">
      <Button
        variant="default"
        onClick={() => void download('xlsx')}
        loading={busy === 'xlsx'}
        disabled={busy !== null && busy !== 'xlsx'}
        data-testid="export-xlsx"
      >
        {t('registry.downloadExcel')}
      </Button>
      <Button
        variant="default"
        onClick={() => void download('csv')}
        loading={busy === 'csv'}
        disabled={busy !== null && busy !== 'csv'}
        data-testid="export-csv"
      >
        {t('registry.downloadCsv')}
      </Button>
    </Group>
  );
}
