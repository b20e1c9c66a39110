// Routing a package waiting in the inbox: attach it to a plan, make a draft plan from it, map its sender's code
// to an agency, or dismiss it with a reason. Coordinators and administrators; the API checks the same.
import { useEffect, useState } from 'react';
import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/problem';
import type { Agency } from '../../api/types';
import { EntitySelect } from '../../components/EntitySelect';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useServerErrors } from '../../lib/forms';
import { FormActions } from '../campaigns/parts';
import { eofficeKeys, routeEofficeDocument } from './eofficeApi';
import {
  EMPTY_ROUTE_FORM,
  replacedCode,
  ROUTE_FIELDS,
  routeRequest,
  type EofficeDetail,
  type RouteAction,
  type RouteForm,
} from './model';
import { CampaignSelect } from './parts';

const BUTTON_COLORS: Record<RouteAction, string> = {
  create_plan: 'green',
  attach: 'green',
  map_sender: 'blue',
  dismiss: 'red',
};

interface DialogProps {
  doc: EofficeDetail;
  action: RouteAction | null;
  /** The agency carrying the sender's code: null when none, undefined while the agencies load. */
  sender: Agency | null | undefined;
  agencies: readonly Agency[] | undefined;
  onClose: () => void;
}

function RouteDialog({ doc, action, sender, agencies, onClose }: DialogProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<RouteForm>(EMPTY_ROUTE_FORM);
  const [missing, setMissing] = useState<{ field: string; key: string } | null>(null);
  const server = useServerErrors(ROUTE_FIELDS);
  const { reset } = server;
  const senderMapped = sender === undefined ? undefined : sender !== null;

  useEffect(() => {
    if (action) {
      setForm(EMPTY_ROUTE_FORM);
      setMissing(null);
      reset();
    }
  }, [action, reset]);

  const mutation = useMutation({
    mutationFn: (body: Parameters<typeof routeEofficeDocument>[1]) => routeEofficeDocument(doc.id, body),
    onSuccess: (after) => {
      queryClient.setQueryData(eofficeKeys.one(doc.id), after);
      void queryClient.invalidateQueries({ queryKey: eofficeKeys.all });
      if (action === 'map_sender') {
        // the agency now carries the code: the sender is named in the inbox from now on
        void queryClient.invalidateQueries({ queryKey: ['agency-list'] });
        void queryClient.invalidateQueries({ queryKey: ['entity-one', 'agencies'] });
      }
      if (after.campaign_id != null) void queryClient.invalidateQueries({ queryKey: ['campaigns'] });
      notifications.show({ color: 'green', message: t(`eoffice.route.done.${action}`) });
      onClose();
    },
    onError: (err) => {
      server.capture(err);
      // routed by someone else meanwhile: show the package as it is now
      if (err instanceof ApiError && err.code === 'eoffice_not_waiting') {
        void queryClient.invalidateQueries({ queryKey: eofficeKeys.all });
      }
    },
  });

  if (!action) return null;

  const submit = () => {
    const request = routeRequest(action, form, senderMapped);
    if (!request.ok) {
      setMissing({ field: request.field, key: request.key });
      return;
    }
    setMissing(null);
    mutation.mutate(request.body);
  };
  const fieldError = (field: (typeof ROUTE_FIELDS)[number]) =>
    server.fieldErrors[field] ?? (missing?.field === field ? t(missing.key) : undefined);
  const chosen = agencies?.find((a) => a.id === form.agencyId);
  const replaced = action === 'map_sender' ? replacedCode(chosen, doc.sender_code) : null;

  return (
    <Modal opened onClose={onClose} title={t(`eoffice.route.titles.${action}`)} size="lg" centered>
      <Stack data-testid="eoffice-route-form" data-action={action}>
        <Text size="sm" c="dimmed">
          {t(`eoffice.route.hints.${action}`, { code: doc.sender_code, agency: sender?.name ?? '' })}
        </Text>
        <ErrorAlert error={server.error} details={server.general} />
        {action === 'attach' && (
          <CampaignSelect
            label={t('eoffice.route.campaign')}
            value={form.campaignId}
            onChange={(campaignId) => setForm((f) => ({ ...f, campaignId }))}
            error={fieldError('campaign_id')}
            data-testid="eoffice-route-campaign"
          />
        )}
        {(action === 'map_sender' || action === 'create_plan') && (
          <EntitySelect
            source="agencies"
            label={t(action === 'map_sender' ? 'eoffice.route.agency' : 'eoffice.route.issuingAgency')}
            description={
              action === 'create_plan'
                ? sender
                  ? t('eoffice.route.issuingAgencyDefault', { agency: sender.name })
                  : t('eoffice.route.issuingAgencyNeeded')
                : undefined
            }
            value={form.agencyId}
            onChange={(agencyId) => setForm((f) => ({ ...f, agencyId }))}
            error={fieldError('agency_id')}
            required={action === 'map_sender' || !sender}
            data-testid="eoffice-route-agency"
          />
        )}
        {replaced && (
          <Alert color="yellow" variant="light" data-testid="eoffice-route-replaces">
            {t('eoffice.route.replacesCode', { agency: chosen?.name ?? '', old: replaced, code: doc.sender_code })}
          </Alert>
        )}
        {action === 'dismiss' && (
          <Textarea
            label={t('eoffice.route.reason')}
            placeholder={t('eoffice.route.reasonPlaceholder')}
            value={form.reason}
            onChange={(e) => {
              const reason = e.currentTarget.value;
              setForm((f) => ({ ...f, reason }));
            }}
            error={fieldError('reason')}
            required
            autosize
            minRows={3}
            maxLength={2000}
            data-testid="eoffice-route-reason"
          />
        )}
        <FormActions
          onCancel={onClose}
          onSubmit={submit}
          loading={mutation.isPending}
          label={t(`eoffice.route.confirm.${action}`)}
          color={BUTTON_COLORS[action]}
          testId="eoffice-route-submit"
        />
      </Stack>
    </Modal>
  );
}

interface Props {
  doc: EofficeDetail;
  actions: readonly RouteAction[];
  sender: Agency | null | undefined;
  agencies: readonly Agency[] | undefined;
}

/** The routing buttons of a waiting package and the dialog of the one chosen. */
export function RouteActions({ doc, actions, sender, agencies }: Props) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<RouteAction | null>(null);
  // the dialog stays while open: a refusal (routed meanwhile by someone else) is read there
  if (actions.length === 0 && open == null) return null;
  return (
    <>
      {actions.length > 0 && (
        <Group gap="xs" data-testid="eoffice-route-actions">
          {actions.map((a) => (
            <Button
              key={a}
              size="sm"
              variant={a === actions[0] ? 'filled' : 'light'}
              color={BUTTON_COLORS[a]}
              onClick={() => setOpen(a)}
              data-testid={`eoffice-route-${a}`}
            >
              {t(`eoffice.route.actions.${a}`)}
            </Button>
          ))}
        </Group>
      )}
      <RouteDialog doc={doc} action={open} sender={sender} agencies={agencies} onClose={() => setOpen(null)} />
    </>
  );
}
