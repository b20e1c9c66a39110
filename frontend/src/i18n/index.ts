import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import dayjs from 'dayjs';
import 'dayjs/locale/vi';
import 'dayjs/locale/en';
import vi from './vi.json';

export const LANGUAGES = ['vi', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'vi';
const STORAGE_KEY = 'ocop.lang';

// Vietnamese, the default, is in the initial bundle; English is its own chunk, fetched only when it is chosen
// (or was chosen before: then the app waits for it before its first render, see `i18nReady`).
const LOADERS: Partial<Record<Language, () => Promise<{ default: Record<string, unknown> }>>> = {
  en: () => import('./en.json'),
};

function initialLanguage(): Language {
  try {
    const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (stored && (LANGUAGES as readonly string[]).includes(stored)) return stored as Language;
  } catch {
    /* storage unavailable */
  }
  return DEFAULT_LANGUAGE;
}

function applyLanguage(lng: string) {
  dayjs.locale(lng === 'en' ? 'en' : 'vi');
  if (typeof document !== 'undefined') document.documentElement.lang = lng;
}

/** Adds the texts of `lng` to i18next, fetching their chunk the first time. */
async function loadLanguage(lng: Language): Promise<void> {
  const load = LOADERS[lng];
  if (!load || i18n.hasResourceBundle(lng, 'translation')) return;
  const texts = (await load()).default;
  i18n.addResourceBundle(lng, 'translation', texts, true, true);
}

const lng = initialLanguage();

const initialized = i18n.use(initReactI18next).init({
  resources: { vi: { translation: vi } },
  // the languages not loaded yet are added later with addResourceBundle
  partialBundledLanguages: true,
  lng: DEFAULT_LANGUAGE,
  fallbackLng: DEFAULT_LANGUAGE,
  supportedLngs: LANGUAGES,
  interpolation: { escapeValue: false },
  returnNull: false,
});
applyLanguage(DEFAULT_LANGUAGE);
i18n.on('languageChanged', applyLanguage);

/**
 * Switches the language and remembers the choice on this device, fetching the texts first (the page keeps
 * the current language until they arrive).
 */
export async function setLanguage(next: Language): Promise<void> {
  await initialized;
  await loadLanguage(next);
  await i18n.changeLanguage(next);
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, next);
  } catch {
    /* ignore */
  }
}

/**
 * Resolves once the language chosen earlier on this device is ready (at once for Vietnamese); main.tsx renders
 * the app after it, so an English user never sees Vietnamese texts flash first. If the English texts cannot be
 * fetched (offline before the service worker cached them), the app starts in Vietnamese.
 */
export const i18nReady: Promise<void> =
  lng === DEFAULT_LANGUAGE ? Promise.resolve() : setLanguage(lng).catch(() => undefined);

export default i18n;
