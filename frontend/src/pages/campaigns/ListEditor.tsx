import type { ReactNode } from 'react';
import { ActionIcon, Button, Group, Paper, Stack, Text, Textarea, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { moveItem, removeAt, replaceAt } from './model';

interface Props<T> {
  label: string;
  description?: string;
  items: T[];
  onChange: (items: T[]) => void;
  newItem: () => T;
  renderItem: (item: T, update: (item: T) => void, index: number) => ReactNode;
  addLabel?: string;
  error?: string;
  testId: string;
}

/** A list of lines of a plan section: add, remove and reorder (up/down). */
export function ListEditor<T>({
  label,
  description,
  items,
  onChange,
  newItem,
  renderItem,
  addLabel,
  error,
  testId,
}: Props<T>) {
  const { t } = useTranslation();
  return (
    <Stack gap={6} data-testid={testId}>
      <div>
        <Text size="sm" fw={500}>
          {label}
        </Text>
        {description && (
          <Text size="xs" c="dimmed">
            {description}
          </Text>
        )}
      </div>
      {items.map((item, i) => (
        <Paper key={i} withBorder p="xs" radius="sm" data-testid={`${testId}-row`}>
          <Group align="flex-start" wrap="nowrap" gap="xs">
            <Text size="sm" c="dimmed" w={22} pt={6} ta="right">
              {i + 1}.
            </Text>
            <div style={{ flex: 1, minWidth: 0 }}>
              {renderItem(item, (next) => onChange(replaceAt(items, i, next)), i)}
            </div>
            <Group gap={2} wrap="nowrap">
              <Tooltip label={t('campaigns.list.up')} withArrow>
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  disabled={i === 0}
                  onClick={() => onChange(moveItem(items, i, -1))}
                  aria-label={t('campaigns.list.up')}
                >
                  ↑
                </ActionIcon>
              </Tooltip>
              <Tooltip label={t('campaigns.list.down')} withArrow>
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  disabled={i === items.length - 1}
                  onClick={() => onChange(moveItem(items, i, 1))}
                  aria-label={t('campaigns.list.down')}
                >
                  ↓
                </ActionIcon>
              </Tooltip>
              <Tooltip label={t('campaigns.list.remove')} withArrow>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  onClick={() => onChange(removeAt(items, i))}
                  aria-label={t('campaigns.list.remove')}
                >
                  ✕
                </ActionIcon>
              </Tooltip>
            </Group>
          </Group>
        </Paper>
      ))}
      {error && (
        <Text size="xs" c="red">
          {error}
        </Text>
      )}
      <Group>
        <Button size="xs" variant="light" onClick={() => onChange([...items, newItem()])} data-testid={`${testId}-add`}>
          + {addLabel ?? t('campaigns.list.add')}
        </Button>
      </Group>
    </Stack>
  );
}

/** A list of free-text lines (purposes, requirements, methods, targets). */
export function LinesEditor({
  label,
  items,
  onChange,
  testId,
}: {
  label: string;
  items: string[];
  onChange: (items: string[]) => void;
  testId: string;
}) {
  return (
    <ListEditor
      label={label}
      items={items}
      onChange={onChange}
      newItem={() => ''}
      testId={testId}
      renderItem={(line, update) => (
        <Textarea
          value={line}
          onChange={(e) => update(e.currentTarget.value)}
          autosize
          minRows={1}
          maxRows={6}
          aria-label={label}
        />
      )}
    />
  );
}
