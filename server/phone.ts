import { parsePhoneNumberFromString, isSupportedCountry, type CountryCode } from 'libphonenumber-js/max';

export const isRegion = (value: string): value is CountryCode => isSupportedCountry(value.toUpperCase());

/**
 * Meta hands developers test numbers in the fictional +1 555 range, which numbering-plan
 * metadata rightly calls invalid; a business number there is still a real WhatsApp sender.
 */
const isNanpFictional = (countryCode: string, national: string) =>
  countryCode === '1' && national.length === 10 && national.slice(3, 6) === '555';

export interface ParsedPhone {
  e164: string;
  region: string | null;
}

/** A business number as an admin types it: E.164, or national with a region. Null when it is not a phone. */
export const parseBusinessPhone = (input: string, region?: string | null): ParsedPhone | null => {
  const defaultRegion = region && isRegion(region) ? (region.toUpperCase() as CountryCode) : undefined;
  const parsed = parsePhoneNumberFromString(input, defaultRegion ? { defaultCountry: defaultRegion } : undefined);
  if (!parsed || !parsed.isPossible()) return null;
  if (!parsed.isValid() && !isNanpFictional(parsed.countryCallingCode, parsed.nationalNumber)) return null;
  return { e164: parsed.number, region: parsed.country ?? defaultRegion ?? null };
};
