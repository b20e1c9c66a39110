import type { ReactNode } from 'react';
import { Text } from '@mantine/core';

/** A label and a value, stacked (detail views). */
export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}
