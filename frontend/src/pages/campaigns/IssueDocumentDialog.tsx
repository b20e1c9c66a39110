// "Phát hành": a document issued with the number and date the clerk takes from the agency's register; issued
// again, a correction with its reason. The server renders and keeps it; this dialog only asks and explains.
import { useEffect, useState } from 'react';
import { Modal, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { issueDocument, type IssueKind } from '../documents/documentsApi';
import {
  issuedLabel,
  issueRequest,
  issueServerErrors,
  KIND_CODES,
  registerNumber,
  type DocumentInfo,
  type IssueField,
  type IssuedVersion,
  type IssueForm,
  type Message,
} from '../documents/model';
import { vnToday } from './model';
import { FormActions } from './parts';

interface Props {
  campaignId: number;
  /** The document to issue (null: closed). */
  item: DocumentInfo | null;
  /** Its latest issued version, if any: then this is a correction. */
  latest: IssuedVersion | null;
  onClose: () => void;
  /** After an answer of the server about `doc`, success or not (the list may have changed). */
  onSettled: (doc: DocumentInfo) => void;
}

const EMPTY: IssueForm = { number: '', date: '', reason: '' };

export function IssueDocumentDialog({ campaignId, item, latest, onClose, onSettled }: Props) {
  const { t } = useTranslation();
  const [form, setForm] = useState<IssueForm>(EMPTY);
  const [errors, setErrors] = useState<Partial<Record<IssueField, Message>>>({});
  const opened = item !== null;
  const reissue = latest !== null;
  const code = item ? KIND_CODES[item.kind] : '';
  const tm = (m: Message) => t(m.key, m.values);

  const mutation = useMutation({
    mutationFn: ({ doc, body }: { doc: DocumentInfo; body: Parameters<typeof issueDocument>[2] }) =>
      issueDocument(campaignId, doc.kind as IssueKind, body), // only issuable kinds open this dialog (isIssuable)
    onSuccess: (v) => {
      notifications.show({
        color: 'green',
        message: t('documents.issue.done', { label: tm(issuedLabel(v)) }),
      });
      onClose();
    },
    onError: (err) => {
      if (item) setErrors(issueServerErrors(err, item));
    },
    onSettled: (_data, _error, { doc }) => onSettled(doc),
  });
  const { reset } = mutation;

  useEffect(() => {
    if (opened) {
      setForm({ ...EMPTY, date: vnToday() });
      setErrors({});
      reset();
    }
  }, [opened, item?.path, reset]);

  const fieldError = (f: IssueField) => (errors[f] ? tm(errors[f]) : undefined);
  const set = (f: IssueField) => (e: { currentTarget: { value: string } }) => {
    const value = e.currentTarget.value;
    setForm((prev) => ({ ...prev, [f]: value }));
  };

  const submit = () => {
    if (!item) return;
    const check = issueRequest(item, form, reissue);
    if (!check.ok) {
      setErrors(check.errors);
      return;
    }
    setErrors({});
    mutation.mutate({ doc: item, body: check.body });
  };

  const normalized = registerNumber(form.number);
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t(reissue ? 'documents.issue.reissueTitle' : 'documents.issue.title')}
      size="lg"
      centered
    >
      {item && (
        <Stack data-testid="issue-document-form" data-kind={item.kind}>
          <Text fw={500} size="sm">
            {item.title}
          </Text>
          <Text size="sm" c="dimmed">
            {latest
              ? t('documents.issue.reissueIntro', { label: tm(issuedLabel(latest)) })
              : t('documents.issue.intro')}
          </Text>
          {/* the server's refusal in the app's words (a 422's field messages go beside their fields) */}
          <ErrorAlert error={mutation.error} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('documents.issue.number')}
              description={
                normalized && normalized !== form.number.trim()
                  ? t('documents.issue.numberWillBe', { number: normalized })
                  : t('documents.issue.numberHint', { code })
              }
              placeholder={`05/${code}-SNN`}
              withAsterisk
              value={form.number}
              onChange={set('number')}
              error={fieldError('number')}
              data-autofocus
              data-testid="issue-doc-number"
            />
            <TextInput
              type="date"
              label={t('documents.issue.date')}
              withAsterisk
              value={form.date}
              onChange={set('date')}
              error={fieldError('date')}
              data-testid="issue-doc-date"
            />
          </SimpleGrid>
          {reissue && (
            <Textarea
              label={t('documents.issue.reason')}
              description={t('documents.issue.reasonHint')}
              withAsterisk
              autosize
              minRows={2}
              maxLength={2000}
              value={form.reason}
              onChange={set('reason')}
              error={fieldError('reason')}
              data-testid="issue-doc-reason"
            />
          )}
          <FormActions
            onCancel={onClose}
            onSubmit={submit}
            loading={mutation.isPending}
            label={t(reissue ? 'documents.issue.reissue' : 'documents.issue.submit')}
            testId="issue-doc-submit"
          />
        </Stack>
      )}
    </Modal>
  );
}
