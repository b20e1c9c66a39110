import type { ReactNode } from 'react';
import { Button, Group, Paper, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';

interface Props {
  search: string;
  onSearch: (value: string) => void;
  placeholder?: string;
  searchLabel?: string;
  /** Shown as the search box's tooltip (e.g. "accents are optional"). */
  searchHint?: string;
  children?: ReactNode;
  onClear?: () => void;
  actions?: ReactNode;
}

/** Search box + extra filters row, wraps on narrow screens. */
export function ListFilters({ search, onSearch, placeholder, searchLabel, searchHint, children, onClear, actions }: Props) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="sm" radius="md">
      <Group align="flex-end" gap="sm" wrap="wrap">
        <TextInput
          label={searchLabel ?? t('common.search')}
          placeholder={placeholder ?? t('common.searchPlaceholder')}
          value={search}
          onChange={(e) => onSearch(e.currentTarget.value)}
          type="search"
          title={searchHint}
          w={{ base: '100%', xs: 260 }}
          data-testid="list-search"
        />
        {children}
        {onClear && (
          <Button variant="subtle" onClick={onClear}>
            {t('common.clearFilters')}
          </Button>
        )}
        {actions && <Group ml="auto">{actions}</Group>}
      </Group>
    </Paper>
  );
}
