// The checklist of a visit as the team answers it on a tablet: sections by content area, big
// yes / no / not-applicable buttons, figures, texts, a note per item and photos from the camera.
import { useMemo, useState } from 'react';
import {
  Badge,
  Button,
  Checkbox,
  Group,
  NumberInput,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AnswerValue, ChecklistItem, Evidence } from '../../api/types';
import { FilePickButton } from '../../components/FilePickButton';
import {
  answerKey,
  blankAnswer,
  isComplete,
  isFailed,
  progressOf,
  type AnswerDraft,
  type AnswerTarget,
  type ChecklistSection,
} from './answers';
import type { PendingPhoto } from './offlineStore';
import { DOCUMENTS, EvidenceTile, PhotoTile, SeverityBadge, useObjectUrl } from './parts';
import type { VisitSync } from './useVisitSync';

const VALUES: { value: AnswerValue; color: string }[] = [
  { value: 'yes', color: 'green' },
  { value: 'no', color: 'red' },
  { value: 'na', color: 'gray' },
];

function PendingTile({ photo, onRemove }: { photo: PendingPhoto; onRemove?: () => void }) {
  const { t } = useTranslation();
  const url = useObjectUrl(photo.blob);
  return (
    <Stack gap={2} data-testid="photo-pending" data-error={photo.error ? 'true' : undefined}>
      <PhotoTile src={url} alt={photo.filename} testId="photo-pending-tile" />
      <Text size="xs" c={photo.error ? 'red' : 'orange'} maw={96}>
        {photo.error ? t('visit.photos.refused') : t('visit.photos.notSent')}
      </Text>
      {onRemove && (
        <Button size="compact-xs" variant="subtle" color="red" onClick={onRemove}>
          {t('visit.photos.remove')}
        </Button>
      )}
    </Stack>
  );
}

/** "Chụp ảnh" (the camera on a tablet, a file elsewhere) and, for document evidence, "Đính kèm tệp". */
function PhotoButtons({ item, onFile }: { item: ChecklistItem; onFile: (file: File) => void }) {
  const { t } = useTranslation();
  const add = (files: File[]) => files.forEach(onFile);
  return (
    <Group gap="xs">
      <FilePickButton
        variant={item.evidence === 'photo' ? 'light' : 'default'}
        size="md"
        accept="image/*"
        capture="environment"
        onFiles={add}
        testId="answer-photo"
      >
        {t('visit.photos.take')}
      </FilePickButton>
      {item.evidence === 'document' && (
        <FilePickButton variant="light" size="md" accept={DOCUMENTS} multiple onFiles={add} testId="answer-file">
          {t('visit.photos.attach')}
        </FilePickButton>
      )}
    </Group>
  );
}

interface CardProps {
  item: ChecklistItem;
  answer: AnswerDraft;
  editable: boolean;
  onChange: (patch: Partial<AnswerDraft>, typing?: boolean) => void;
  evidence: readonly Evidence[];
  photos: readonly PendingPhoto[];
  onPhoto: (file: File) => void;
  onRemovePhoto: (photo: PendingPhoto) => void;
}

function AnswerCard({ item, answer, editable, onChange, evidence, photos, onPhoto, onRemovePhoto }: CardProps) {
  const { t } = useTranslation();
  const failed = isFailed(answer, item.answer_type);
  const done = isComplete(answer, item.answer_type);
  const choice = item.answer_type === 'yes_no_na' || item.answer_type === 'photo';
  const wantsNote = failed && !answer.note?.trim();
  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      bg={failed ? 'red.0' : undefined}
      data-testid="answer-item"
      data-code={item.code}
      data-product={answer.product_id ?? ''}
      data-answered={done ? 'true' : 'false'}
    >
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <div style={{ minWidth: 0 }}>
            <Text fw={600} size="md">
              <Text span ff="monospace" c="dimmed" mr={6}>
                {item.code}
              </Text>
              {item.question}
            </Text>
            {item.guidance && (
              <Text size="sm" c="dimmed">
                {item.guidance}
              </Text>
            )}
            {item.legal_reference && (
              <Text size="xs" c="dimmed" fs="italic">
                {item.legal_reference}
              </Text>
            )}
          </div>
          <Stack gap={4} align="flex-end">
            <SeverityBadge severity={item.severity} size="xs" />
            {item.evidence !== 'none' && (
              <Badge size="xs" variant="outline" color="gray">
                {t(`visit.evidenceNeeded.${item.evidence}`)}
              </Badge>
            )}
          </Stack>
        </Group>

        {choice && (
          <Button.Group>
            {VALUES.map(({ value, color }) => {
              const selected = answer.value === value;
              return (
                <Button
                  key={value}
                  size="lg"
                  fullWidth
                  h="auto"
                  mih={52}
                  py={6}
                  styles={{ label: { whiteSpace: 'normal', textAlign: 'center', lineHeight: 1.2 } }}
                  color={color}
                  variant={selected ? 'filled' : 'default'}
                  aria-pressed={selected}
                  disabled={!editable}
                  onClick={() => onChange({ value: selected ? null : value })}
                  data-testid={`answer-${value}`}
                >
                  {t(`visit.answers.${value}`)}
                </Button>
              );
            })}
          </Button.Group>
        )}
        {item.answer_type === 'number' && (
          <Group align="flex-end" gap="md">
            <NumberInput
              size="lg"
              w={{ base: '100%', xs: 260 }}
              label={t('visit.answers.figure')}
              value={answer.number_value ?? ''}
              onChange={(v) => onChange({ number_value: typeof v === 'number' ? v : null, value: null }, true)}
              disabled={!editable || answer.value === 'na'}
              thousandSeparator="."
              decimalSeparator=","
              data-testid="answer-number"
            />
            <Checkbox
              size="md"
              label={t('visit.answers.na')}
              checked={answer.value === 'na'}
              disabled={!editable}
              onChange={(e) => onChange({ value: e.currentTarget.checked ? 'na' : null })}
            />
          </Group>
        )}
        {item.answer_type === 'text' && (
          <Stack gap="xs">
            <Textarea
              size="md"
              label={t('visit.answers.text')}
              value={answer.text_value ?? ''}
              onChange={(e) => onChange({ text_value: e.currentTarget.value, value: null }, true)}
              disabled={!editable || answer.value === 'na'}
              autosize
              minRows={2}
              data-testid="answer-text"
            />
            <Checkbox
              size="md"
              label={t('visit.answers.na')}
              checked={answer.value === 'na'}
              disabled={!editable}
              onChange={(e) => onChange({ value: e.currentTarget.checked ? 'na' : null })}
            />
          </Stack>
        )}

        <Textarea
          size="md"
          label={t('visit.answers.note')}
          placeholder={failed ? t('visit.answers.notePlaceholderFailed') : t('visit.answers.notePlaceholder')}
          value={answer.note ?? ''}
          onChange={(e) => onChange({ note: e.currentTarget.value }, true)}
          readOnly={!editable}
          error={wantsNote && editable ? t('visit.answers.noteWanted') : undefined}
          autosize
          minRows={1}
          maxRows={8}
          data-testid="answer-note"
        />
        {!done && editable && answer.note?.trim() && (
          <Text size="xs" c="orange" data-testid="answer-incomplete">
            {t('visit.answers.incomplete')}
          </Text>
        )}

        {(evidence.length > 0 || photos.length > 0) && (
          <Group gap="xs" data-testid="answer-photos">
            {evidence.map((e) => (
              <EvidenceTile key={e.id} evidence={e} />
            ))}
            {photos.map((p) => (
              <PendingTile key={p.id} photo={p} onRemove={editable || p.error ? () => onRemovePhoto(p) : undefined} />
            ))}
          </Group>
        )}
        {editable && <PhotoButtons item={item} onFile={onPhoto} />}
      </Stack>
    </Paper>
  );
}

interface ChecklistProps {
  sections: ChecklistSection[];
  /** Product ids the sections are answered for (`[null]`: once for the visit). */
  productId: number | null;
  sync: VisitSync;
  editable: boolean;
  evidence: readonly Evidence[];
  testId: string;
}

function Sections({ sections, productId, sync, editable, evidence, testId }: ChecklistProps) {
  const { t } = useTranslation();
  return (
    <Stack gap="lg" data-testid={testId}>
      {sections.map((section) => {
        const p = progressOf(section.items, [productId], sync.answers);
        return (
          <Stack key={section.area} gap="sm" data-testid="checklist-area" data-area={section.area}>
            <Group justify="space-between" align="flex-end" wrap="nowrap">
              <Title order={3} fz="md">
                {section.area}. {section.title ?? ''}
              </Title>
              <Badge variant="light" color={p.answered === p.total ? 'green' : 'gray'} size="lg">
                {t('visit.progress', { answered: p.answered, total: p.total })}
              </Badge>
            </Group>
            {section.items.map((item) => {
              const answer = sync.answers.get(answerKey(item.code, productId)) ?? blankAnswer(item.code, productId);
              return (
                <AnswerCard
                  key={item.code}
                  item={item}
                  answer={answer}
                  editable={editable}
                  onChange={(patch, typing) => sync.setAnswer(answer, patch, typing)}
                  evidence={evidence.filter((e) => e.item_code === item.code)}
                  photos={sync.photos.filter((ph) => ph.itemCode === item.code)}
                  onPhoto={(file) => void sync.addPhoto(file, item.code)}
                  onRemovePhoto={(ph) => void sync.removePhoto(ph)}
                />
              );
            })}
          </Stack>
        );
      })}
    </Stack>
  );
}

/** The producer items (per target product: a switch when the visit has several) and the local government's. */
export function VisitChecklist({
  producer,
  local,
  targets,
  sync,
  editable,
  evidence,
}: {
  producer: ChecklistSection[];
  local: ChecklistSection[];
  targets: AnswerTarget[];
  sync: VisitSync;
  editable: boolean;
  evidence: readonly Evidence[];
}) {
  const { t } = useTranslation();
  const [target, setTarget] = useState(0);
  const current = targets[Math.min(target, targets.length - 1)];
  const overall = useMemo(() => {
    const items = producer.flatMap((s) => s.items);
    const a = progressOf(
      items,
      targets.map((tg) => tg.productId),
      sync.answers,
    );
    const b = progressOf(
      local.flatMap((s) => s.items),
      [null],
      sync.answers,
    );
    return { answered: a.answered + b.answered, total: a.total + b.total, failed: a.failed + b.failed };
  }, [producer, local, targets, sync.answers]);

  return (
    <Stack gap="lg" data-testid="visit-checklist">
      <Group gap="sm">
        <Badge size="xl" variant="light" color={overall.answered === overall.total ? 'green' : 'blue'} data-testid="checklist-progress">
          {t('visit.progress', { answered: overall.answered, total: overall.total })}
        </Badge>
        {overall.failed > 0 && (
          <Badge size="xl" variant="light" color="red" data-testid="checklist-failed">
            {t('visit.failedCount', { count: overall.failed })}
          </Badge>
        )}
      </Group>
      {producer.length > 0 && current && (
        <Stack gap="md">
          {targets.length > 1 ? (
            <SegmentedControl
              size="md"
              fullWidth
              orientation="vertical"
              value={String(target)}
              onChange={(v) => setTarget(Number(v))}
              data={targets.map((tg, i) => {
                const p = progressOf(
                  producer.flatMap((s) => s.items),
                  [tg.productId],
                  sync.answers,
                );
                return { value: String(i), label: `${tg.label} (${p.answered}/${p.total})` };
              })}
              data-testid="checklist-product"
            />
          ) : (
            <Text fw={600} data-testid="checklist-target">
              {t('visit.answeringFor', { target: current.label })}
            </Text>
          )}
          <Sections
            key={current.productId ?? 0}
            sections={producer}
            productId={current.productId}
            sync={sync}
            editable={editable}
            evidence={evidence}
            testId="checklist-producer"
          />
        </Stack>
      )}
      {local.length > 0 && (
        <Sections
          sections={local}
          productId={null}
          sync={sync}
          editable={editable}
          evidence={evidence}
          testId="checklist-local"
        />
      )}
    </Stack>
  );
}
