/**
 * Floor messages from message keys with parameters (DESIGN principle 7). Workflows return a
 * `Message` (key + params), never text; the effect executor renders it in the store's language,
 * and `verification.failed` records the same key and params, so an audit reads the reason the
 * picker saw.
 *
 * @example
 *   renderMessage({ key: 'pick.wrongItem', params: { scanned: 'Oat Milk 1L', expected: 'Whole Milk 1L' } }, 'en');
 *   // 'wrong item: scanned Oat Milk 1L, expected Whole Milk 1L'
 */
import { en } from './en.ts';

export type MessageParams = Record<string, string | number | boolean | undefined>;
export type MessageKey = keyof typeof en;

export interface Message {
  key: MessageKey;
  params: MessageParams;
}

const catalogues: Record<string, Record<MessageKey, (p: MessageParams) => string>> = { en };

export const languages = Object.keys(catalogues);

/** The message in `language`, falling back to English for a language we have no catalogue of. */
export function renderMessage(message: Message, language = 'en'): string {
  const catalogue = catalogues[language] ?? en;
  return catalogue[message.key](message.params);
}

export function msg(key: MessageKey, params: MessageParams = {}): Message {
  return { key, params };
}
