import { useState } from 'react';
import { Anchor, Badge, Button, CloseButton, Group, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../auth/AuthContext';
import { ErrorAlert } from '../../components/ErrorAlert';
import { NoPermission } from '../../components/Messages';
import { canCreateCampaign } from './access';
import { campaignKeys, createCampaign } from './campaignsApi';
import { Section, UnitAddPicker } from './parts';
import { PlanEditor, usePlanFormState } from './PlanEditor';
import { emptyPlan, planToPayload } from './planForm';

interface UnitChoice {
  id: number;
  label: string;
}

/** "Tạo kế hoạch": drafts a plan with its sections and the units it covers. */
export default function CampaignCreatePage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const plan = usePlanFormState(() => emptyPlan(new Date().getFullYear()));
  const [units, setUnits] = useState<UnitChoice[]>([]);

  const mutation = useMutation({
    mutationFn: () => createCampaign({ ...planToPayload(plan.form), unit_ids: units.map((u) => u.id), tasks: [] }),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: campaignKeys.list });
      notifications.show({ color: 'green', message: t('campaigns.created') });
      navigate(`/ke-hoach/${saved.id}`);
    },
    onError: (err) => plan.server.capture(err),
  });

  if (!canCreateCampaign(me?.roles)) return <NoPermission />;

  return (
    <Stack gap="md">
      <div>
        <Anchor component={Link} to="/ke-hoach" size="sm">
          ← {t('campaigns.title')}
        </Anchor>
        <Title order={2}>{t('campaigns.createTitle')}</Title>
        <Text size="sm" c="dimmed">
          {t('campaigns.createHint')}
        </Text>
      </div>
      <PlanEditor {...plan.editor} />
      <Section title={t('campaigns.units.title')} testId="create-units">
        <Stack gap="sm">
          <Group gap="xs">
            {units.length === 0 && (
              <Text size="sm" c="dimmed">
                {t('campaigns.units.none')}
              </Text>
            )}
            {units.map((u) => (
              <Badge
                key={u.id}
                size="lg"
                variant="light"
                rightSection={
                  <CloseButton
                    size="xs"
                    variant="transparent"
                    aria-label={t('campaigns.units.remove')}
                    onClick={() => setUnits((list) => list.filter((x) => x.id !== u.id))}
                  />
                }
                data-testid="create-unit"
              >
                {u.label}
              </Badge>
            ))}
          </Group>
          <UnitAddPicker
            onPick={(id, label) =>
              setUnits((list) => (list.some((u) => u.id === id) ? list : [...list, { id, label }]))
            }
            testId="create-unit-add"
          />
        </Stack>
      </Section>
      <ErrorAlert error={plan.server.error} details={plan.server.general} />
      <Group justify="flex-end">
        <Button variant="default" component={Link} to="/ke-hoach">
          {t('common.cancel')}
        </Button>
        <Button
          onClick={() => plan.check() && mutation.mutate()}
          loading={mutation.isPending}
          data-testid="campaign-create-save"
        >
          {t('campaigns.createSave')}
        </Button>
      </Group>
    </Stack>
  );
}
