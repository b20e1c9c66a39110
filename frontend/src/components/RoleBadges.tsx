import { Badge, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';

const COLORS: Record<string, string> = {
  admin: 'red',
  coordinator: 'grape',
  leader: 'indigo',
  inspector: 'teal',
  local_officer: 'orange',
  producer: 'lime',
  viewer: 'gray',
};

export function roleLabel(t: (k: string) => string, role: string): string {
  const key = `roles.${role}`;
  const label = t(key);
  return label === key ? role : label;
}

export function RoleBadges({ roles, size = 'sm' }: { roles: readonly string[]; size?: 'xs' | 'sm' | 'md' | 'lg' }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="wrap" preventGrowOverflow={false}>
      {roles.map((r) => (
        <Badge key={r} size={size} variant="light" color={COLORS[r] ?? 'blue'} tt="none">
          {roleLabel(t, r)}
        </Badge>
      ))}
    </Group>
  );
}
