import { Alert, Button, Group, List } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { describeError } from '../api/problem';

export function useErrorMessage() {
  const { t } = useTranslation();
  return (error: unknown): string => {
    const m = describeError(error);
    return m.text ?? t(m.key, m.values);
  };
}

interface Props {
  error: unknown;
  onRetry?: () => void;
  /** Extra lines (e.g. validation issues that could not be attached to a field). */
  details?: string[];
  title?: string;
}

export function ErrorAlert({ error, onRetry, details, title }: Props) {
  const { t } = useTranslation();
  const message = useErrorMessage();
  if (!error && !details?.length) return null;
  return (
    <Alert color="red" variant="light" title={title} role="alert" data-testid="error-alert">
      {error ? message(error) : t('errors.validation')}
      {details && details.length > 0 && (
        <List size="sm" mt={4}>
          {details.map((d) => (
            <List.Item key={d}>{d}</List.Item>
          ))}
        </List>
      )}
      {onRetry && (
        <Group mt="xs">
          <Button size="xs" variant="outline" color="red" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        </Group>
      )}
    </Alert>
  );
}
