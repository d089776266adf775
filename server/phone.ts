import { parsePhoneNumberFromString, isSupportedCountry, type CountryCode } from 'libphonenumber-js/max';

export const isRegion = (value: string): value is CountryCode => isSupportedCountry(value.toUpperCase());

/**
 * Meta hands developers test numbers in the +1 555 area code, which numbering-plan metadata
 * rightly calls unassigned; a business number there is still a real WhatsApp sender.
 */
const isNanp555 = (countryCode: string, national: string) =>
  countryCode === '1' && national.length === 10 && (national.startsWith('555') || national.slice(3, 6) === '555');

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
  return { e164: parsed.number, region: parsed.country ?? defaultRegion ?? null };
};
