import { create } from 'zustand';
import type { Language } from '../../contract/settings';
import { candidateMessages } from '../features/candidates/messages';
import { duplicateMessages } from '../features/duplicates/messages';
import { eventMessages } from '../features/events/messages';
import { jobMessages } from '../features/jobs/messages';
import { leadMessages } from '../features/leads/messages';
import { settingsMessages } from '../features/settings/messages';
import { syncMessages } from '../features/sync/messages';
import { transferMessages } from '../features/transfer/messages';
import { dateTimeFormat, numberFormat } from '../lib/intl';
import { en as coreEn } from './en';
import { es as coreEs } from './es';
import { conflictMessages } from './conflicts';
import { errorMessages } from './errors';

// Features with many texts keep them in their own `messages.ts` ({ en, es }) and are merged here.
const en = { ...coreEn, ...errorMessages.en, ...conflictMessages.en, ...eventMessages.en, ...jobMessages.en, ...leadMessages.en, ...transferMessages.en, ...settingsMessages.en, ...syncMessages.en, ...candidateMessages.en, ...duplicateMessages.en };
const es: Record<keyof typeof en, string> = { ...coreEs, ...errorMessages.es, ...conflictMessages.es, ...eventMessages.es, ...jobMessages.es, ...leadMessages.es, ...transferMessages.es, ...settingsMessages.es, ...syncMessages.es, ...candidateMessages.es, ...duplicateMessages.es };

export type MessageKey = keyof typeof en;
/** Whether a key built at run time (`validation.${code}`) has a text. */
export const isMessageKey = (key: string): key is MessageKey => Object.hasOwn(en, key);
export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

const dictionaries: Record<Language, Record<MessageKey, string>> = { en, es };
const locales: Record<Language, string> = { en: 'en-GB', es: 'es-ES' };

function interpolate(text: string, vars?: Record<string, string | number>): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (match, name: string) => (name in vars ? String(vars[name]) : match));
}

/**
 * A numeric `count` picks the singular text where the language says so ("1 open posting") — the message
 * `key` with `.one` appended, when there is one — and is shown in the locale's number format ("1.250").
 */
export function translator(language: Language): Translate {
  const dictionary = dictionaries[language] as Record<string, string>;
  const fallback = en as Record<string, string>;
  const plurals = new Intl.PluralRules(locales[language]);
  return (key, vars) => {
    const count = vars?.count;
    if (typeof count === 'number') {
      const one = plurals.select(count) === 'one' ? `${key}.one` : null;
      const text = (one && (dictionary[one] ?? fallback[one])) || dictionary[key] || fallback[key] || key;
      return interpolate(text, { ...vars, count: numberFormat(locales[language]).format(count) });
    }
    return interpolate(dictionary[key] ?? fallback[key] ?? key, vars);
  };
}

interface I18nState {
  language: Language;
  t: Translate;
  setLanguage(language: Language): void;
}

/** The UI language; the persisted value lives in settings and is applied here once settings load. */
export const useI18n = create<I18nState>((set) => ({
  language: 'en',
  t: translator('en'),
  setLanguage: (language) => {
    document.documentElement.lang = language;
    set({ language, t: translator(language) });
  },
}));

export function useT(): Translate {
  return useI18n((s) => s.t);
}

function formatFor(language: Language) {
  const locale = locales[language];
  // The formatters are built at their first call, not at start-up (~50 ms for a language never shown), and
  // kept here: list rows call these for every cell, and the shared cache would key its lookup each time.
  let date: Intl.DateTimeFormat | undefined;
  let dateTime: Intl.DateTimeFormat | undefined;
  let number: Intl.NumberFormat | undefined;
  return {
    locale,
    date: (iso: string | null) => (iso ? (date ??= dateTimeFormat(locale, { dateStyle: 'medium' })).format(new Date(iso)) : '—'),
    dateTime: (iso: string | null) => (iso ? (dateTime ??= dateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' })).format(new Date(iso)) : '—'),
    number: (n: number) => (number ??= numberFormat(locale)).format(n),
  };
}
const formats = { en: formatFor('en'), es: formatFor('es') } as const;
export type Format = ReturnType<typeof formatFor>;

/** The formatters of a language outside React (tests, pure helpers given them). */
export const formatOf = (language: Language): Format => formats[language];

/** Intl formatters for the current language; dates and numbers follow the user's locale. The same object per language, so memoised rows stay memoised. */
export function useFormat() {
  return formats[useI18n((s) => s.language)];
}
