// A free finding written on the visit screen (the most common kind: not a failed checklist item): content area,
// severity, the product (only the visit's producer's, as the findings rules say), description, recommendation and
// photos of it. It is kept on the device first (fieldOutbox) and sent in order when the connection allows.
import { useState } from 'react';
import { Alert, Button, Group, NativeSelect, Paper, SimpleGrid, Stack, Text, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CampaignChecklist, Severity, Visit } from '../../api/types';
import { isQuotaError } from '../../lib/idb';
import { Section } from '../campaigns/parts';
import { enumLabel } from '../registry/labels';
import { capturedAt, type Position } from './inspectionsApi';
import type { OfflineProducer } from './inspectionsApi';
import { keep, newKey, photoProblem, type OutboxEntry, type OutboxPhoto } from './fieldOutbox';

const SEVERITIES: Severity[] = ['observation', 'minor', 'major', 'critical'];

export interface ProductChoice {
  producerId: number;
  productId: number;
  name: string;
}

/**
 * The products a finding of this visit may name: those the visit names for its producers, or every product of a
 * producer the visit covers as a whole (from the bundle taken offline).
 */
export function productChoices(visit: Pick<Visit, 'targets'>, producers: readonly OfflineProducer[]): ProductChoice[] {
  const out: ProductChoice[] = [];
  for (const tg of visit.targets) {
    if (tg.product_id != null) {
      out.push({ producerId: tg.producer_id, productId: tg.product_id, name: tg.product_name ?? `#${tg.product_id}` });
    } else {
      const p = producers.find((x) => x.producer.id === tg.producer_id);
      for (const pr of p?.products ?? []) out.push({ producerId: tg.producer_id, productId: pr.id, name: pr.name });
    }
  }
  return out.filter((c, i) => out.findIndex((d) => d.productId === c.productId) === i);
}

/** The device's position, if it gives one within a few seconds (never blocks the form). */
function currentPosition(): Promise<Position | null> {
  if (typeof navigator === 'undefined' || !('geolocation' in navigator)) return Promise.resolve(null);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), 6_000);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        clearTimeout(timer);
        resolve({
          latitude: Number(pos.coords.latitude.toFixed(6)),
          longitude: Number(pos.coords.longitude.toFixed(6)),
          accuracy_m: Math.round(pos.coords.accuracy),
        });
      },
      () => {
        clearTimeout(timer);
        resolve(null);
      },
      { enableHighAccuracy: true, timeout: 5_000, maximumAge: 120_000 },
    );
  });
}

interface Props {
  visit: Visit;
  userId: number;
  checklist: CampaignChecklist;
  producers: readonly OfflineProducer[];
  /** Called once the finding is kept on the device (to send it). */
  onQueued: () => void;
}

export function FieldFindingForm({ visit, userId, checklist, producers, onQueued }: Props) {
  const { t } = useTranslation();
  const choices = productChoices(visit, producers);
  const producerIds = [...new Set(visit.targets.map((tg) => tg.producer_id))];
  const [open, setOpen] = useState(false);
  const [area, setArea] = useState('');
  const [severity, setSeverity] = useState<Severity>('minor');
  const [product, setProduct] = useState('');
  const [producer, setProducer] = useState(String(producerIds[0] ?? ''));
  const [description, setDescription] = useState('');
  const [recommendation, setRecommendation] = useState('');
  const [photos, setPhotos] = useState<OutboxPhoto[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const chosen = choices.find((c) => String(c.productId) === product);
  const producerId = chosen?.producerId ?? Number(producer);

  const addPhotos = async (files: FileList | null) => {
    setProblem(null);
    for (const file of Array.from(files ?? [])) {
      const bad = photoProblem(file);
      if (bad) {
        setProblem(t(`field.photo.${bad}`, { name: file.name }));
        continue;
      }
      const position = await currentPosition();
      setPhotos((list) => [
        ...list,
        {
          id: newKey(),
          filename: file.name || `anh-${Date.now()}.jpg`,
          blob: file,
          capturedAt: capturedAt(file),
          position,
          productId: chosen?.productId ?? null,
          sent: false,
        },
      ]);
    }
  };

  const save = async () => {
    if (!description.trim()) {
      setProblem(t('field.finding.descriptionRequired'));
      return;
    }
    setSaving(true);
    setProblem(null);
    const entry: OutboxEntry = {
      key: newKey(),
      userId,
      visitId: visit.id,
      seq: Date.now(),
      kind: 'finding',
      body: {
        campaign_id: visit.campaign_id,
        visit_id: visit.id,
        producer_id: producerId,
        product_id: chosen?.productId ?? null,
        content_area: area ? Number(area) : null,
        category: 'other',
        severity,
        description: description.trim(),
        recommendation: recommendation.trim() || null,
      },
      photos: photos.map((p) => ({ ...p, productId: chosen?.productId ?? p.productId })),
      findingId: null,
      failure: null,
    };
    try {
      await keep(entry);
    } catch (err) {
      // nothing typed is lost: the form keeps it, and says why it could not be kept
      setProblem(isQuotaError(err) ? t('field.quota') : t('field.keepFailed'));
      setSaving(false);
      return;
    }
    setSaving(false);
    setDescription('');
    setRecommendation('');
    setPhotos([]);
    setOpen(false);
    onQueued();
  };

  if (!open) {
    return (
      <Group>
        <Button size="lg" variant="light" onClick={() => setOpen(true)} data-testid="field-finding-new">
          + {t('field.finding.new')}
        </Button>
      </Group>
    );
  }
  return (
    <Section title={t('field.finding.new')} testId="field-finding-form">
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {producerIds.length > 1 && !chosen && (
            <NativeSelect
              size="md"
              label={t('field.finding.producer')}
              value={producer}
              onChange={(e) => setProducer(e.currentTarget.value)}
              data={producerIds.map((id) => ({
                value: String(id),
                label: visit.targets.find((tg) => tg.producer_id === id)?.producer_name ?? `#${id}`,
              }))}
            />
          )}
          <NativeSelect
            size="md"
            label={t('field.finding.product')}
            value={product}
            onChange={(e) => setProduct(e.currentTarget.value)}
            data={[
              { value: '', label: t('field.finding.wholeProducer') },
              ...choices.map((c) => ({ value: String(c.productId), label: c.name })),
            ]}
            data-testid="field-finding-product"
          />
          <NativeSelect
            size="md"
            label={t('findings.contentArea')}
            value={area}
            onChange={(e) => setArea(e.currentTarget.value)}
            data={[
              { value: '', label: '—' },
              ...checklist.sections.map((s) => ({
                value: String(s.content_area),
                label: `${s.content_area}. ${s.title ?? ''}`.trim(),
              })),
            ]}
            data-testid="field-finding-area"
          />
          <NativeSelect
            size="md"
            label={t('findings.severity')}
            value={severity}
            onChange={(e) => setSeverity(e.currentTarget.value as Severity)}
            data={SEVERITIES.map((s) => ({ value: s, label: enumLabel(t, 'campaigns.severities', s) }))}
            data-testid="field-finding-severity"
          />
        </SimpleGrid>
        <Textarea
          size="md"
          label={t('field.finding.description')}
          required
          autosize
          minRows={3}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          data-testid="field-finding-description"
        />
        <Textarea
          size="md"
          label={t('field.finding.recommendation')}
          autosize
          minRows={2}
          value={recommendation}
          onChange={(e) => setRecommendation(e.currentTarget.value)}
          data-testid="field-finding-recommendation"
        />
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t('field.finding.photos')}
          </Text>
          <input
            type="file"
            accept="image/*"
            capture="environment"
            multiple
            aria-label={t('field.finding.addPhoto')}
            onChange={(e) => {
              void addPhotos(e.currentTarget.files);
              e.currentTarget.value = '';
            }}
            data-testid="field-finding-photo"
          />
          {photos.map((p) => (
            <Paper key={p.id} withBorder p={6} radius="sm" data-testid="field-finding-photo-item">
              <Group justify="space-between" gap="xs">
                <Text size="sm">
                  {p.filename}
                  {p.position ? ` · ${p.position.latitude}, ${p.position.longitude}` : ''}
                </Text>
                <Button size="xs" variant="subtle" color="red" onClick={() => setPhotos((l) => l.filter((x) => x.id !== p.id))}>
                  {t('field.remove')}
                </Button>
              </Group>
            </Paper>
          ))}
        </Stack>
        {problem && (
          <Alert color="orange" variant="light" data-testid="field-finding-problem">
            {problem}
          </Alert>
        )}
        <Group>
          <Button size="lg" onClick={() => void save()} loading={saving} data-testid="field-finding-save">
            {t('field.finding.save')}
          </Button>
          <Button size="lg" variant="default" onClick={() => setOpen(false)}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </Section>
  );
}
