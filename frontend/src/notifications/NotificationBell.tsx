import { lazy, Suspense, useState } from 'react';
import { ActionIcon, Indicator } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { badgeText } from './links';
import { useUnreadCount } from './notificationsApi';

// The list is loaded on the first click: the header only carries the bell and its count.
const NotificationDrawer = lazy(() => import('./NotificationDrawer'));

function BellIcon() {
  return (
    <svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
      <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" strokeLinecap="round" strokeLinejoin="round" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

/** The bell in the header: the unread count (asked every minute and on focus), the list in a drawer. */
export function NotificationBell() {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const unread = useUnreadCount();
  const count = unread.data ?? 0;
  const text = badgeText(count);

  return (
    <>
      <Indicator
        inline
        disabled={!text}
        label={<span data-testid="notification-count">{text}</span>}
        size={18}
        offset={5}
        color="red"
        withBorder
      >
        <ActionIcon
          variant="subtle"
          color="gray"
          size="lg"
          onClick={() => {
            setLoaded(true);
            setOpened(true);
          }}
          aria-label={count > 0 ? t('notifications.bellUnread', { count }) : t('notifications.bell')}
          aria-haspopup="dialog"
          aria-expanded={opened}
          data-testid="notification-bell"
          data-unread={count}
        >
          <BellIcon />
        </ActionIcon>
      </Indicator>
      {loaded && (
        <Suspense fallback={null}>
          <NotificationDrawer opened={opened} onClose={() => setOpened(false)} unread={count} />
        </Suspense>
      )}
    </>
  );
}
