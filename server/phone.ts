import { parsePhoneNumberFromString, isSupportedCountry, type CountryCode } from 'libphonenumber-js/max';
import metadata from 'libphonenumber-js/metadata.max.json';

export const isRegion = (value: string): value is CountryCode => isSupportedCountry(value.toUpperCase());

/**
 * Meta hands developers test numbers in the +1 555 area code, which numbering-plan metadata
 * rightly calls unassigned; a business number there is still a real WhatsApp sender.
 */
const isNanp555 = (countryCode: string, national: string) =>
  countryCode === '1' && national.length === 10 && (national.startsWith('555') || national.slice(3, 6) === '555');

/** The main region of a country calling code (`1` → US): numbers in fictional ranges have no own country. */
const mainRegion = (callingCode: string): string | null =>
  (metadata as { country_calling_codes: Record<string, string[]> }).country_calling_codes[callingCode]?.[0] ?? null;

/** The region to read national phone numbers in, for a business number: its own, or its phone's. */
export const regionOf = (number: { region?: string | null; phone: string }): string | null => {
  if (number.region) return number.region;
  const parsed = parsePhoneNumberFromString(number.phone);
  return parsed ? parsed.country ?? mainRegion(parsed.countryCallingCode) : null;
};

export interface ParsedPhone {
  e164: string;
  region: string | null;
}

/** A business number as an admin types it: E.164, or national with a region. Null when it is not a phone. */
export const parseBusinessPhone = (input: string, region?: string | null): ParsedPhone | null => {
  const defaultRegion = region && isRegion(region) ? (region.toUpperCase() as CountryCode) : undefined;
  const parsed = parsePhoneNumberFromString(input, defaultRegion ? { defaultCountry: defaultRegion } : undefined);
  if (!parsed || !parsed.isPossible()) return null;
  if (!parsed.isValid() && !isNanp555(parsed.countryCallingCode, parsed.nationalNumber)) return null;
  return { e164: parsed.number, region: parsed.country ?? defaultRegion ?? mainRegion(parsed.countryCallingCode) };
};

/**
 * A customer's WhatsApp id (digits with country code) as E.164. WhatsApp has already proved the
 * number exists, so only a plausible length is required, not numbering-plan validity.
 */
export const customerE164 = (waId: string): string | null => {
  const digits = waId.replace(/[^\d]/g, '');
  if (digits.length < 7 || digits.length > 15) return null;
  const parsed = parsePhoneNumberFromString(`+${digits}`);
  return parsed?.isPossible() ? parsed.number : `+${digits}`;
};

/** A phone as a CRM record stores it ("(555) 000-2222", "0151 2345678", "+55 11 98765-4321") as E.164. */
export const recordE164 = (value: unknown, region?: string | null): string | null => {
  if (typeof value !== 'string' || !value.trim()) return null;
  const defaultCountry = region && isRegion(region) ? (region.toUpperCase() as CountryCode) : undefined;
  const trimmed = value.trim();
  const parsed = parsePhoneNumberFromString(/^00/.test(trimmed) ? `+${trimmed.slice(2)}` : trimmed, defaultCountry ? { defaultCountry } : undefined);
  return parsed?.isPossible() ? parsed.number : null;
};

/**
 * One key per person across the national variants WhatsApp and address books disagree on:
 * Brazil's mobile ninth digit, Mexico's old "1" after +52, Argentina's "9" after +54.
 */
export const samePersonKey = (e164: string): string => {
  const digits = e164.replace(/^\+/, '');
  const br = /^55(\d{2})([6-9]\d{7})$/.exec(digits);
  if (br) return `+55${br[1]}9${br[2]}`;
  const mx = /^521(\d{10})$/.exec(digits);
  if (mx) return `+52${mx[1]}`;
  const ar = /^549(\d{10})$/.exec(digits);
  if (ar) return `+54${ar[1]}`;
  return `+${digits}`;
};
