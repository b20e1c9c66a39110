// Small pieces shared by the campaign screens.
import { useEffect, useState, type ReactNode } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Alert, Badge, Button, Group, List, Modal, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CampaignStatus, PlanWarning } from '../../api/types';
import { EntitySelect } from '../../components/EntitySelect';
import { ErrorAlert } from '../../components/ErrorAlert';
import { enumLabel } from '../registry/labels';
import { STATUS_COLORS, type NoteRule } from './model';

export function CampaignStatusBadge({ status, size = 'md' }: { status: CampaignStatus; size?: 'sm' | 'md' | 'lg' }) {
  const { t } = useTranslation();
  return (
    <Badge
      size={size}
      color={STATUS_COLORS[status] ?? 'gray'}
      variant={status === 'draft' ? 'outline' : 'light'}
      data-testid="campaign-status"
      data-status={status}
    >
      {enumLabel(t, 'campaigns.statuses', status)}
    </Badge>
  );
}

/** A titled block of a tab. */
export function Section({
  title,
  actions,
  children,
  testId,
}: {
  title: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <Paper withBorder radius="md" p="md" data-testid={testId}>
      <Group justify="space-between" mb="sm" wrap="wrap" gap="xs">
        <Title order={3} size="h4">
          {title}
        </Title>
        {actions && <Group gap="xs">{actions}</Group>}
      </Group>
      {children}
    </Paper>
  );
}

/** The planning warnings (never refusals): listed prominently, each with the API's message. */
export function WarningsAlert({ warnings, title }: { warnings: readonly PlanWarning[]; title?: string }) {
  const { t } = useTranslation();
  if (warnings.length === 0) return null;
  return (
    <Alert
      color="yellow"
      variant="light"
      title={title ?? t('campaigns.warnings.title', { count: warnings.length })}
      data-testid="plan-warnings"
    >
      <List size="sm" spacing={4}>
        {warnings.map((w, i) => (
          <List.Item key={`${w.code}-${i}`} data-testid="plan-warning" data-code={w.code}>
            <Text size="sm" component="span" fw={500}>
              {enumLabel(t, 'campaigns.warnings.codes', w.code)}:
            </Text>{' '}
            <Text size="sm" component="span">
              {w.message}
            </Text>
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}

interface NoteDialogProps {
  opened: boolean;
  onClose: () => void;
  title: string;
  message?: ReactNode;
  note: NoteRule;
  noteLabel?: string;
  confirmLabel: string;
  color?: string;
  loading?: boolean;
  error?: unknown;
  details?: string[];
  onConfirm: (note: string) => void;
  /** Extra fields above the note. */
  children?: ReactNode;
}

/** A confirmation with an optional or required note (returning, cancelling, reviewing). */
export function NoteDialog({
  opened,
  onClose,
  title,
  message,
  note,
  noteLabel,
  confirmLabel,
  color = 'green',
  loading,
  error,
  details,
  onConfirm,
  children,
}: NoteDialogProps) {
  const { t } = useTranslation();
  const [value, setValue] = useState('');
  const [missing, setMissing] = useState(false);
  useEffect(() => {
    if (opened) {
      setValue('');
      setMissing(false);
    }
  }, [opened]);
  const submit = () => {
    if (note === 'required' && !value.trim()) {
      setMissing(true);
      return;
    }
    onConfirm(value.trim());
  };
  return (
    <Modal opened={opened} onClose={onClose} title={title} centered size="lg">
      <Stack data-testid="note-dialog">
        {message && <Text size="sm">{message}</Text>}
        <ErrorAlert error={error} details={details} />
        {children}
        {note !== 'none' && (
          <Textarea
            label={noteLabel ?? t('campaigns.note')}
            description={note === 'required' ? t('campaigns.noteRequired') : undefined}
            value={value}
            onChange={(e) => setValue(e.currentTarget.value)}
            error={missing ? t('account.required') : undefined}
            required={note === 'required'}
            autosize
            minRows={2}
            maxRows={6}
            data-autofocus
            data-testid="note-input"
          />
        )}
        <FormActions
          onCancel={onClose}
          onSubmit={submit}
          loading={loading}
          label={confirmLabel}
          color={color}
          testId="note-confirm"
        />
      </Stack>
    </Modal>
  );
}

/** "Thêm địa bàn": searches units, past ones included (plans name the units of their time). */
export function UnitAddPicker({
  onPick,
  disabled,
  testId,
}: {
  onPick: (id: number, label: string) => void;
  disabled?: boolean;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <EntitySelect
      source="admin-units"
      anyTime
      label={t('campaigns.units.add')}
      placeholder={t('campaigns.units.addPlaceholder')}
      value={null}
      clearOnPick
      onChange={(id, label) => id != null && onPick(id, label ?? `#${id}`)}
      disabled={disabled}
      data-testid={testId}
    />
  );
}

interface FormActionsProps {
  onCancel: () => void;
  onSubmit: () => void;
  loading?: boolean;
  /** The submit button's text (default "Lưu"). */
  label?: string;
  color?: string;
  testId: string;
}

/** "Hủy" and the submit button at the foot of a dialog or form. */
export function FormActions({ onCancel, onSubmit, loading, label, color, testId }: FormActionsProps) {
  const { t } = useTranslation();
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onCancel}>
        {t('common.cancel')}
      </Button>
      <Button color={color} loading={loading} onClick={onSubmit} data-testid={testId}>
        {label ?? t('common.save')}
      </Button>
    </Group>
  );
}

interface ConfirmButtonProps {
  /** The button's and the dialog's title ("Xóa lịch", "Bỏ khỏi đoàn"). */
  label: string;
  message: string;
  action: () => Promise<unknown>;
  onDone: () => void;
  testId?: string;
}

/** A small red button that asks before a removal and shows the API's refusal in its dialog. */
export function ConfirmButton({ label, message, action, onDone, testId }: ConfirmButtonProps) {
  const [opened, setOpened] = useState(false);
  const mutation = useMutation({
    mutationFn: action,
    onSuccess: () => {
      setOpened(false);
      onDone();
    },
  });
  return (
    <>
      <Button
        size="compact-xs"
        variant="subtle"
        color="red"
        onClick={() => {
          mutation.reset();
          setOpened(true);
        }}
        data-testid={testId}
      >
        {label}
      </Button>
      <NoteDialog
        opened={opened}
        onClose={() => setOpened(false)}
        title={label}
        message={message}
        note="none"
        confirmLabel={label}
        color="red"
        loading={mutation.isPending}
        error={mutation.error}
        onConfirm={() => mutation.mutate()}
      />
    </>
  );
}
