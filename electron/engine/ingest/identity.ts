import type { PersonRef } from './types.js';

// Bidi marks, isolates and zero-width characters that exporters put around names.
const HIDDEN = /[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** Display name cleaned of hidden marks and odd spaces, as shown to the user. */
export function cleanName(name: string): string {
  return name.replace(HIDDEN, '').replace(/[\u00a0\u202f\u2007]/g, ' ').replace(/\u2011/g, '-').replace(/\s+/g, ' ').trim();
}

const PHONE = /^\+?[\d\s()\-.]{7,}$/;

/**
 * Key used to identify a member that has no platform id: the cleaned name in NFKC, lower case;
 * phone numbers reduced to '+digits' so `+86 138-0013 8000` and `+8613800138000` meet.
 */
export function nameKey(name: string): string {
  const n = cleanName(name).normalize('NFKC');
  if (PHONE.test(n) && /\d{7,}/.test(n.replace(/\D/g, ''))) return 'tel:' + (n.startsWith('+') ? '+' : '') + n.replace(/\D/g, '');
  return 'name:' + n.toLowerCase();
}

/** The member key of a person: the platform id when present, else the name key. */
export function personKey(p: PersonRef): string {
  return p.id !== null && p.id !== '' ? p.id : nameKey(p.name);
}
