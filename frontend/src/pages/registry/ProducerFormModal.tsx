import { useEffect, useState, type FormEvent } from 'react';
import { Button, Group, Modal, Select, SimpleGrid, Stack, TextInput, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/problem';
import { PRODUCER_KINDS, type Producer, type ProducerCreate } from '../../api/types';
import { EntitySelect } from '../../components/EntitySelect';
import { ErrorAlert } from '../../components/ErrorAlert';
import { blankToNull, useServerErrors } from '../../lib/forms';
import { producerKindLabel } from './labels';
import { createProducer } from './registryApi';
import { taxCodeHintKey } from './taxCode';

const FIELDS = [
  'kind',
  'name',
  'tax_code',
  'business_reg_no',
  'representative',
  'phone',
  'email',
  'address',
  'admin_unit_id',
  'note',
] as const;
type Field = (typeof FIELDS)[number];

interface Values {
  kind: Producer['kind'] | null;
  name: string;
  tax_code: string;
  business_reg_no: string;
  representative: string;
  phone: string;
  email: string;
  address: string;
  admin_unit_id: number | null;
  note: string;
}

const EMPTY: Values = {
  kind: null,
  name: '',
  tax_code: '',
  business_reg_no: '',
  representative: '',
  phone: '',
  email: '',
  address: '',
  admin_unit_id: null,
  note: '',
};

interface Props {
  opened: boolean;
  onClose: () => void;
  /** Local officers register producers only in their own unit: the picker lists the units it covers. */
  withinUnit?: number;
}

/** "Đăng ký chủ thể": registers a producer (coordinator/admin anywhere, local officer in own units). */
export function ProducerFormModal({ opened, onClose, withinUnit }: Props) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Values>(EMPTY);
  const [localErrors, setLocalErrors] = useState<Partial<Record<Field, string>>>({});
  const server = useServerErrors(FIELDS);
  const { reset: resetServer } = server;

  useEffect(() => {
    if (opened) {
      setValues(EMPTY);
      setLocalErrors({});
      resetServer();
    }
  }, [opened, resetServer]);

  const set = <K extends keyof Values>(key: K, value: Values[K]) => setValues((v) => ({ ...v, [key]: value }));

  const mutation = useMutation({
    mutationFn: () => {
      const body: ProducerCreate = {
        kind: values.kind!,
        name: values.name.trim(),
        tax_code: blankToNull(values.tax_code),
        business_reg_no: blankToNull(values.business_reg_no),
        representative: blankToNull(values.representative),
        phone: blankToNull(values.phone),
        email: blankToNull(values.email),
        address: blankToNull(values.address),
        admin_unit_id: values.admin_unit_id!,
        note: blankToNull(values.note),
        status: 'active',
      };
      return createProducer(body);
    },
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: ['producers'] });
      notifications.show({ color: 'green', message: t('producers.created', { name: saved.name }) });
      onClose();
    },
    onError: (err) => {
      if (err instanceof ApiError && err.code === 'duplicate_tax_code') {
        resetServer();
        server.setFieldErrors({ tax_code: t('errors.duplicate_tax_code') });
        return;
      }
      server.capture(err);
    },
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Partial<Record<Field, string>> = {};
    if (!values.kind) errs.kind = t('account.required');
    if (!values.name.trim()) errs.name = t('account.required');
    if (values.admin_unit_id == null) errs.admin_unit_id = t('account.required');
    setLocalErrors(errs);
    resetServer();
    if (Object.keys(errs).length === 0) mutation.mutate();
  };

  const err = (f: Field) => localErrors[f] ?? server.fieldErrors[f];

  return (
    <Modal opened={opened} onClose={onClose} title={t('producers.createTitle')} size="lg" centered>
      <form onSubmit={onSubmit} noValidate data-testid="producer-form">
        <Stack>
          <ErrorAlert error={server.error} details={server.general} />
          <TextInput
            label={t('producers.name')}
            placeholder={t('producers.namePlaceholder')}
            value={values.name}
            onChange={(e) => set('name', e.currentTarget.value)}
            error={err('name')}
            required
            data-autofocus
            data-testid="producer-name"
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label={t('producers.kind')}
              placeholder={t('producers.selectKind')}
              data={PRODUCER_KINDS.map((k) => ({ value: k, label: producerKindLabel(t, k) }))}
              value={values.kind}
              onChange={(v) => set('kind', v as Values['kind'])}
              error={err('kind')}
              required
              comboboxProps={{ withinPortal: true }}
              data-testid="producer-kind"
            />
            <EntitySelect
              source="admin-units"
              label={t('producers.unit')}
              placeholder={t('producers.selectUnit')}
              value={values.admin_unit_id}
              onChange={(v) => set('admin_unit_id', v)}
              error={err('admin_unit_id')}
              within={withinUnit}
              required
              data-testid="producer-unit"
            />
            <TextInput
              label={t('producers.taxCode')}
              description={t(taxCodeHintKey(values.kind))}
              value={values.tax_code}
              onChange={(e) => set('tax_code', e.currentTarget.value)}
              error={err('tax_code')}
              inputMode="numeric"
              autoComplete="off"
              data-testid="producer-tax-code"
            />
            <TextInput
              label={t('producers.businessRegNo')}
              description={t('producers.businessRegNoHint')}
              value={values.business_reg_no}
              onChange={(e) => set('business_reg_no', e.currentTarget.value)}
              error={err('business_reg_no')}
              autoComplete="off"
            />
            <TextInput
              label={t('producers.representative')}
              value={values.representative}
              onChange={(e) => set('representative', e.currentTarget.value)}
              error={err('representative')}
            />
            <TextInput
              label={t('producers.phone')}
              type="tel"
              value={values.phone}
              onChange={(e) => set('phone', e.currentTarget.value)}
              error={err('phone')}
            />
            <TextInput
              label={t('producers.email')}
              type="email"
              value={values.email}
              onChange={(e) => set('email', e.currentTarget.value)}
              error={err('email')}
            />
            <TextInput
              label={t('producers.address')}
              value={values.address}
              onChange={(e) => set('address', e.currentTarget.value)}
              error={err('address')}
            />
          </SimpleGrid>
          <Textarea
            label={t('producers.note')}
            value={values.note}
            onChange={(e) => set('note', e.currentTarget.value)}
            error={err('note')}
            autosize
            minRows={2}
            maxRows={5}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="green" loading={mutation.isPending} data-testid="producer-save">
              {t('producers.register')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
