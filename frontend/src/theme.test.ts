import { describe, expect, it } from 'vitest';
import { ACCESSIBLE_COLORS, createAppTheme } from './theme';

/** WCAG 2.1 relative luminance and contrast ratio. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const v = parseInt(hex.slice(i, i + 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

const WHITE = '#ffffff';
const APP_BACKGROUND = '#f8f9fa'; // gray.0

describe('the accessible palettes', () => {
  it('computes contrast as WCAG does', () => {
    expect(contrast('#000000', WHITE)).toBeCloseTo(21, 5);
    expect(contrast('#767676', WHITE)).toBeCloseTo(4.54, 2);
  });

  for (const [name, shades] of Object.entries(ACCESSIBLE_COLORS)) {
    it(`${name}: shades 6–9 are readable text on white, gray.0 and the palette's tints`, () => {
      expect(shades).toHaveLength(10);
      const minimum = [4.6, 5.4, 6.3, 7.3];
      for (let k = 6; k <= 9; k++) {
        for (const background of [WHITE, APP_BACKGROUND, shades[0], shades[1]]) {
          expect(contrast(shades[k], background), `${name}.${k} on ${background}`).toBeGreaterThanOrEqual(
            minimum[k - 6] - 0.01,
          );
        }
      }
      // the light variant: shade 9 on shade 1
      expect(contrast(shades[9], shades[1])).toBeGreaterThanOrEqual(4.5);
    });
  }

  it('the theme uses them and names the close buttons', () => {
    const theme = createAppTheme('Đóng');
    expect(theme.colors?.green).toBe(ACCESSIBLE_COLORS.green);
    expect(theme.primaryColor).toBe('green');
    expect(theme.components?.Modal?.defaultProps).toMatchObject({ closeButtonProps: { 'aria-label': 'Đóng' } });
  });
});
