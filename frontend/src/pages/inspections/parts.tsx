// Small pieces shared by the inspection screens: status badges and evidence pictures.
import { useEffect, useState } from 'react';
import { Badge, Box, Image, Loader, Modal, Paper, SimpleGrid, Stack, Text, UnstyledButton } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import type {
  ActionStatus,
  ComplianceStatus,
  Evidence,
  FindingStatus,
  Severity,
  VisitStatus,
} from '../../api/types';
import { useErrorMessage } from '../../components/ErrorAlert';
import { saveBlob } from '../../lib/download';
import { enumLabel } from '../registry/labels';
import { downloadEvidence } from './inspectionsApi';
import { ACTION_COLORS, COMPLIANCE_COLORS, FINDING_COLORS, SEVERITY_COLORS, VISIT_COLORS } from './model';

/** What may be attached as a document (the API reads the type from the content). */
export const DOCUMENTS = 'image/*,.pdf,.doc,.docx,.xls,.xlsx';

type Size = 'xs' | 'sm' | 'md' | 'lg' | 'xl';

/** A visit's state (the schedule's visits carry it as a plain string). */
export function VisitStatusBadge({ status, size = 'md' }: { status: VisitStatus | string; size?: Size }) {
  const { t } = useTranslation();
  const color = VISIT_COLORS[status as VisitStatus] ?? 'gray';
  return (
    <Badge size={size} variant="light" color={color} data-testid="visit-status" data-status={status}>
      {enumLabel(t, 'visit.statuses', status)}
    </Badge>
  );
}

export function FindingStatusBadge({ status, size = 'sm' }: { status: FindingStatus; size?: Size }) {
  const { t } = useTranslation();
  return (
    <Badge size={size} variant="light" color={FINDING_COLORS[status]} data-testid="finding-status" data-status={status}>
      {enumLabel(t, 'findings.statuses', status)}
    </Badge>
  );
}

/** The severity of a finding or of failing a checklist item. */
export function SeverityBadge({ severity, size = 'sm' }: { severity: Severity; size?: Size }) {
  const { t } = useTranslation();
  return (
    <Badge
      size={size}
      variant={severity === 'critical' ? 'filled' : 'light'}
      color={SEVERITY_COLORS[severity]}
      data-testid="severity"
      data-severity={severity}
    >
      {enumLabel(t, 'campaigns.severities', severity)}
    </Badge>
  );
}

/** "Lặp lại n lần" when the producer had the same item failed in an earlier campaign. */
export function RepeatBadge({ count }: { count: number }) {
  const { t } = useTranslation();
  if (count <= 0) return null;
  return (
    <Badge size="sm" color="red" variant="outline" data-testid="finding-repeat">
      {t('findings.repeatCount', { count })}
    </Badge>
  );
}

export function ActionStatusBadge({ status, overdue }: { status: ActionStatus; overdue?: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      <Badge size="sm" variant="light" color={ACTION_COLORS[status]} data-testid="action-status" data-status={status}>
        {enumLabel(t, 'findings.actionStatuses', status)}
      </Badge>
      {overdue && (
        <Badge size="sm" variant="filled" color="red" data-testid="action-overdue">
          {t('findings.actions.overdue')}
        </Badge>
      )}
    </>
  );
}

export function ComplianceBadge({ status, size = 'lg' }: { status: ComplianceStatus; size?: Size }) {
  const { t } = useTranslation();
  return (
    <Badge
      size={size}
      variant={status === 'not_certified' ? 'outline' : 'filled'}
      color={COMPLIANCE_COLORS[status]}
      autoContrast
      data-testid="compliance-status"
      data-status={status}
    >
      {enumLabel(t, 'compliance.statuses', status)}
    </Badge>
  );
}

/** An object URL for a Blob while the component shows it. */
export function useObjectUrl(blob: Blob | null | undefined): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!blob) {
      setUrl(null);
      return;
    }
    const u = URL.createObjectURL(blob);
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [blob]);
  return url;
}

const THUMB = 96;

/** A square picture tile (a thumbnail, or a photo not uploaded yet). */
export function PhotoTile({
  src,
  alt,
  caption,
  onClick,
  testId,
  loading,
}: {
  src: string | null;
  alt: string;
  caption?: string;
  onClick?: () => void;
  testId: string;
  loading?: boolean;
}) {
  return (
    <UnstyledButton onClick={onClick} title={alt} data-testid={testId} style={{ cursor: onClick ? 'pointer' : 'default' }}>
      <Paper withBorder radius="sm" w={THUMB} h={THUMB} style={{ overflow: 'hidden', position: 'relative' }}>
        {src ? (
          <Image src={src} alt={alt} w={THUMB} h={THUMB} fit="cover" />
        ) : (
          <Box h="100%" p={4} style={{ display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
            {loading ? (
              <Loader size="xs" />
            ) : (
              <Text size="xs" ta="center" style={{ wordBreak: 'break-all' }}>
                {alt}
              </Text>
            )}
          </Box>
        )}
      </Paper>
      {caption && (
        <Text size="xs" c="dimmed" maw={THUMB} truncate>
          {caption}
        </Text>
      )}
    </UnstyledButton>
  );
}

/** One uploaded piece of evidence: its thumbnail (fetched with the token), opened large or downloaded on click. */
export function EvidenceTile({ evidence }: { evidence: Evidence }) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const [open, setOpen] = useState(false);
  const isImage = evidence.content_type.startsWith('image/');
  const thumb = useQuery({
    queryKey: ['evidence-file', evidence.id, 'thumbnail'],
    queryFn: async () => (await downloadEvidence(evidence, true)).blob,
    enabled: evidence.has_thumbnail,
    staleTime: Infinity,
  });
  const full = useQuery({
    queryKey: ['evidence-file', evidence.id, 'full'],
    queryFn: async () => (await downloadEvidence(evidence)).blob,
    enabled: open && isImage,
    staleTime: Infinity,
  });
  const thumbUrl = useObjectUrl(thumb.data);
  const fullUrl = useObjectUrl(full.data);

  const click = async () => {
    if (isImage) {
      setOpen(true);
      return;
    }
    try {
      const file = await downloadEvidence(evidence);
      saveBlob(file.blob, file.filename);
    } catch (err) {
      notifications.show({ color: 'red', message: errorMessage(err) });
    }
  };

  return (
    <>
      <PhotoTile
        src={thumbUrl}
        alt={evidence.filename}
        loading={thumb.isPending && evidence.has_thumbnail}
        onClick={() => void click()}
        testId="evidence-thumb"
      />
      <Modal opened={open} onClose={() => setOpen(false)} title={evidence.filename} size="xl" centered>
        {fullUrl ? <Image src={fullUrl} alt={evidence.filename} fit="contain" mah="75vh" /> : <Loader />}
        <Text size="xs" c="dimmed" mt="xs">
          {t('evidence.size', { kb: Math.max(1, Math.round(evidence.size / 1024)) })}
        </Text>
      </Modal>
    </>
  );
}

/** A grid of evidence tiles; `empty` when there is none. */
export function EvidenceGrid({ items, empty, testId }: { items: readonly Evidence[]; empty?: string; testId: string }) {
  if (items.length === 0) {
    return empty ? (
      <Text size="sm" c="dimmed" data-testid={`${testId}-empty`}>
        {empty}
      </Text>
    ) : null;
  }
  return (
    <SimpleGrid cols={{ base: 3, xs: 4, sm: 6, md: 8 }} spacing="xs" data-testid={testId}>
      {items.map((e) => (
        <Stack key={e.id} gap={0}>
          <EvidenceTile evidence={e} />
        </Stack>
      ))}
    </SimpleGrid>
  );
}
