// The Mantine theme. Mantine's default palettes are bright: white on green.6 is 2.4:1, yellow.9 on white
// 3:1, the "dimmed" gray.6 on the app's gray.0 background 3.2:1. The palettes below keep shades 0–5
// (backgrounds, borders, chart fills) and darken shades 6–9 just enough for WCAG 2.1 AA text contrast
// (4.5:1), because Mantine draws text in them: filled buttons and badges (white on shade 6), the light
// variant (shade 9 on shade 1), outline and subtle variants, `c="red"` (shade 6) and "dimmed" (gray.6).
// Each of shades 6–9 reaches at least 4.6, 5.4, 6.3 and 7.3:1 against white, gray.0 and the palette's
// own shades 0 and 1 (checked by theme.test.ts), so hover shades stay distinguishable.
import {
  Badge,
  createTheme,
  Drawer,
  Modal,
  Notification,
  type CSSVariablesResolver,
  type MantineColorsTuple,
} from '@mantine/core';

type Palette = Record<string, MantineColorsTuple>;

export const ACCESSIBLE_COLORS: Palette = {
  gray: ['#f8f9fa', '#f1f3f5', '#e9ecef', '#dee2e6', '#ced4da', '#adb5bd', '#686e74', '#495057', '#343a40', '#212529'],
  red: ['#fff5f5', '#ffe3e3', '#ffc9c9', '#ffa8a8', '#ff8787', '#ff6b6b', '#b83c3c', '#ad2d2d', '#9f2323', '#8f1e1e'],
  pink: ['#fff0f6', '#ffdeeb', '#fcc2d7', '#faa2c1', '#f783ac', '#f06595', '#b23963', '#a92855', '#9b1e4a', '#8b1941'],
  grape: ['#f8f0fc', '#f3d9fa', '#eebefa', '#e599f7', '#da77f2', '#cc5de8', '#953bac', '#88309d', '#7a2a8e', '#6c257e'],
  violet: ['#f3f0ff', '#e5dbff', '#d0bfff', '#b197fc', '#9775fa', '#845ef7', '#6a46d5', '#5e3cc3', '#5435b1', '#4a3099'],
  indigo: ['#edf2ff', '#dbe4ff', '#bac8ff', '#91a7ff', '#748ffc', '#5c7cfa', '#3f5bcb', '#3550be', '#2e47ac', '#2a3e9c'],
  blue: ['#e7f5ff', '#d0ebff', '#a5d8ff', '#74c0fc', '#4dabf7', '#339af0', '#1a69ae', '#155ea0', '#125490', '#124a7f'],
  cyan: ['#e3fafc', '#c5f6fa', '#99e9f2', '#66d9e8', '#3bc9db', '#22b8cf', '#0e7584', '#0b6977', '#095e6d', '#085462'],
  teal: ['#e6fcf5', '#c3fae8', '#96f2d7', '#63e6be', '#38d9a9', '#20c997', '#0c7a59', '#086e50', '#066346', '#06583f'],
  green: ['#ebfbee', '#d3f9d8', '#b2f2bb', '#8ce99a', '#69db7c', '#51cf66', '#297a37', '#226f30', '#1d632a', '#1c5828'],
  lime: ['#f4fce3', '#e9fac8', '#d8f5a2', '#c0eb75', '#a9e34b', '#94d82d', '#4e7912', '#466e0d', '#3c6309', '#375908'],
  yellow: ['#fff9db', '#fff3bf', '#ffec99', '#ffe066', '#ffd43b', '#fcc419', '#906503', '#885800', '#824c00', '#7b4000'],
  orange: ['#fff4e6', '#ffe8cc', '#ffd8a8', '#ffc078', '#ffa94d', '#ff922b', '#a4520d', '#9f4205', '#923808', '#872d09'],
};

/**
 * The app's theme. `closeLabel` names the close buttons Mantine draws without text (modals, drawers,
 * toasts), in the current language.
 */
export function createAppTheme(closeLabel: string) {
  const closeButtonProps = { 'aria-label': closeLabel };
  return createTheme({
    primaryColor: 'green',
    colors: ACCESSIBLE_COLORS,
    fontFamily:
      "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Helvetica Neue', Arial, sans-serif",
    defaultRadius: 'sm',
    // people who ask their system for less motion get no fades and slides
    respectReducedMotion: true,
    components: {
      // Badges hold short labels (roles, statuses): never truncate them inside table cells.
      Badge: Badge.extend({ defaultProps: { tt: 'none' }, styles: { root: { minWidth: 'max-content' } } }),
      Modal: Modal.extend({ defaultProps: { closeButtonProps } }),
      Drawer: Drawer.extend({ defaultProps: { closeButtonProps } }),
      Notification: Notification.extend({ defaultProps: { closeButtonProps } }),
    },
  });
}

/**
 * Placeholders in gray.6 (4.9:1 on white) instead of Mantine's gray.5 (2.1:1): the file pickers show theirs as
 * text ("Chọn tệp…"), which must be readable.
 */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-placeholder': 'var(--mantine-color-gray-6)' },
  dark: {},
});
