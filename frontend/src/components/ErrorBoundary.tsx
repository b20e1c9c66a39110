import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Alert, Button } from '@mantine/core';
import i18n from '../i18n';

interface State {
  error: Error | null;
}

/** Catches render errors and failed lazy chunk loads. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(error, info.componentStack);
  }

  render() {
    if (this.state.error) {
      return (
        <Alert color="red" title={i18n.t('errors.pageCrashed')} role="alert">
          <div>{this.state.error.message}</div>
          <Button mt="sm" size="xs" variant="outline" color="red" onClick={() => window.location.reload()}>
            {i18n.t('errors.reload')}
          </Button>
        </Alert>
      );
    }
    return this.props.children;
  }
}
