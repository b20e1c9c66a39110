import { useTranslation } from 'react-i18next';
import { PageMessage } from '../components/Messages';

export default function NotFoundPage() {
  const { t } = useTranslation();
  return <PageMessage title={t('common.notFound')} />;
}
