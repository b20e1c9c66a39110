import { useEffect, useRef, useState } from 'react';
import { Alert, Box, Center, Loader, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

interface Props {
  /** The Word document (.docx) to show. */
  blob: Blob;
  /** What is shown, for assistive technologies ("Xem trước: Kế hoạch kiểm tra …"). */
  label: string;
  testId?: string;
}

/**
 * A Word document laid out in the page (docx-preview, loaded on first use: it stays out of the
 * other pages' bundles). Each document is drawn into a fresh element, so a slow earlier rendering
 * can never write over a newer one.
 */
export function DocxPreview({ blob, label, testId = 'docx-preview' }: Props) {
  const { t } = useTranslation();
  const host = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<'rendering' | 'done' | 'error'>('rendering');
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    let cancelled = false;
    const target = document.createElement('div');
    el.replaceChildren(target);
    setState('rendering');
    setError(null);
    import('docx-preview')
      .then(({ renderAsync }) =>
        renderAsync(blob, target, undefined, {
          className: 'docx',
          inWrapper: true,
          breakPages: true,
          ignoreLastRenderedPageBreak: true,
          useBase64URL: true,
          renderComments: false,
          renderChanges: false,
        }),
      )
      .then(() => {
        if (!cancelled) setState('done');
      })
      .catch((err: unknown) => {
        if (cancelled) return;
        setError(err instanceof Error ? err : new Error(String(err)));
        setState('error');
      });
    return () => {
      cancelled = true;
    };
  }, [blob]);

  return (
    <Stack gap="xs">
      {state === 'rendering' && (
        <Center py="md">
          <Loader size="sm" />
          <Text size="sm" c="dimmed" ml="xs">
            {t('documents.rendering')}
          </Text>
        </Center>
      )}
      {state === 'error' && (
        <Alert color="red" variant="light" role="alert" data-testid="docx-preview-error">
          {t('documents.renderFailed')}
          {error instanceof Error && error.message ? ` (${error.message})` : ''}
        </Alert>
      )}
      <Box
        ref={host}
        role="region"
        aria-label={label}
        tabIndex={0}
        data-testid={testId}
        data-state={state}
        style={{
          maxHeight: '75vh',
          overflow: 'auto',
          border: '1px solid var(--mantine-color-gray-3)',
          borderRadius: 'var(--mantine-radius-sm)',
          background: 'var(--mantine-color-gray-2)',
          display: state === 'error' ? 'none' : undefined,
        }}
      />
    </Stack>
  );
}
