import { useState, type FormEvent } from 'react';
import { Alert, Box, Button, Center, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../auth/AuthContext';
import { FullScreenLoader } from '../auth/guards';
import { ApiError } from '../api/problem';
import { useErrorMessage } from '../components/ErrorAlert';
import { LanguageSwitcher } from '../components/LanguageSwitcher';

export default function LoginPage() {
  const { t } = useTranslation();
  const { status, signIn, expired } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const errorMessage = useErrorMessage();
  const from = (location.state as { from?: string } | null)?.from ?? '/';

  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<{ username?: string; password?: string }>({});
  const [error, setError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);

  if (status === 'restoring') return <FullScreenLoader />;
  if (status === 'authenticated' && !submitting) return <Navigate to={from} replace />;

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: typeof fieldErrors = {};
    if (!username.trim()) errs.username = t('auth.usernameRequired');
    if (!password) errs.password = t('auth.passwordRequired');
    setFieldErrors(errs);
    if (errs.username || errs.password) return;
    setSubmitting(true);
    setError(null);
    try {
      await signIn(username.trim(), password);
      navigate(from === '/dang-nhap' ? '/' : from, { replace: true });
    } catch (err) {
      setError(err);
      setPassword('');
    } finally {
      setSubmitting(false);
    }
  };

  // account_locked already says "15 minutes"; other throttling shows the server's Retry-After
  const retryAfter =
    error instanceof ApiError && error.retryAfter && error.code !== 'account_locked' ? error.retryAfter : null;

  return (
    <Box component="main" mih="100vh" bg="gray.0">
      <Group justify="flex-end" p="sm">
        <LanguageSwitcher size="xs" />
      </Group>
      <Center px="md" pb="xl">
        <Stack w="100%" maw={420} gap="lg">
          <Stack gap={4} align="center">
            <Title order={1} c="green.8">
              {t('app.title')}
            </Title>
            <Text c="dimmed" ta="center">
              {t('app.subtitle')}
            </Text>
          </Stack>
          <Paper withBorder shadow="sm" p="xl" radius="md">
            <form onSubmit={onSubmit} noValidate data-testid="login-form" aria-labelledby="login-title">
              <Stack>
                <div>
                  <Title order={2} size="h3" id="login-title">
                    {t('auth.signInTitle')}
                  </Title>
                  <Text size="sm" c="dimmed">
                    {t('auth.signInHint')}
                  </Text>
                </div>
                {expired && !error && (
                  <Alert color="yellow" variant="light">
                    {t('auth.sessionExpired')}
                  </Alert>
                )}
                {error !== null && (
                  <Alert color="red" variant="light" role="alert" data-testid="login-error">
                    {errorMessage(error)}
                    {retryAfter !== null && (
                      <Text size="sm" mt={4} data-testid="login-retry-after">
                        {retryAfter >= 60
                          ? t('auth.retryAfterMinutes', { minutes: Math.ceil(retryAfter / 60) })
                          : t('auth.retryAfter', { seconds: retryAfter })}
                      </Text>
                    )}
                  </Alert>
                )}
                <TextInput
                  label={t('auth.username')}
                  name="username"
                  autoComplete="username"
                  autoFocus
                  required
                  value={username}
                  onChange={(e) => setUsername(e.currentTarget.value)}
                  error={fieldErrors.username}
                  data-testid="login-username"
                />
                <PasswordInput
                  label={t('auth.password')}
                  name="password"
                  autoComplete="current-password"
                  required
                  value={password}
                  onChange={(e) => setPassword(e.currentTarget.value)}
                  error={fieldErrors.password}
                  data-testid="login-password"
                />
                <Button type="submit" loading={submitting} fullWidth color="green" data-testid="login-submit">
                  {t('auth.submit')}
                </Button>
              </Stack>
            </form>
          </Paper>
        </Stack>
      </Center>
    </Box>
  );
}
