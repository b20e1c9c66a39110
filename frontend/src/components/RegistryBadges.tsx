import { Badge, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { certificateStatusLabel } from '../pages/registry/labels';

const CERT_COLORS: Record<string, string> = {
  valid: 'green',
  expiring: 'yellow',
  expired: 'gray',
  revoked: 'red',
  superseded: 'indigo',
};

/** Certificate status badge; `null` (no certificate) shows "Chưa có chứng nhận". */
export function CertificateStatusBadge({ status, size = 'sm' }: { status: string | null | undefined; size?: 'xs' | 'sm' | 'md' }) {
  const { t } = useTranslation();
  const value = status ?? 'none';
  return (
    <Badge
      size={size}
      color={CERT_COLORS[value] ?? 'gray'}
      variant={value === 'none' ? 'outline' : value === 'expiring' ? 'filled' : 'light'}
      autoContrast
      data-testid="cert-status"
      data-status={value}
    >
      {certificateStatusLabel(t, value)}
    </Badge>
  );
}

/** "★★★★" with an accessible "4 sao". */
export function Stars({ stars }: { stars: number | null | undefined }) {
  const { t } = useTranslation();
  if (!stars) {
    return (
      <Text size="sm" c="dimmed" component="span">
        {t('common.none')}
      </Text>
    );
  }
  const label = t('registry.starsLabel', { count: stars });
  return (
    <Tooltip label={label} withArrow openDelay={300}>
      <Text
        component="span"
        c="yellow.7"
        fw={700}
        style={{ whiteSpace: 'nowrap', letterSpacing: 1 }}
        aria-label={label}
        role="img"
        data-testid="stars"
        data-stars={stars}
      >
        {'★'.repeat(stars)}
      </Text>
    </Tooltip>
  );
}

export function SampleBadge() {
  const { t } = useTranslation();
  return (
    <Tooltip label={t('registry.sampleHint')} withArrow multiline w={260}>
      <Badge size="xs" color="grape" variant="light" data-testid="sample-badge">
        {t('registry.sample')}
      </Badge>
    </Tooltip>
  );
}
