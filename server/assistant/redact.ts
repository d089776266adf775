/** What stands in for a redacted value in what is sent to a model. */
export const REDACTED_EMAIL = '[email]';
export const REDACTED_PHONE = '[phone]';

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
/** Seven digits or more, with the spaces, dots, dashes and brackets phone numbers are written with. */
const PHONE = /\+?\d[\d\s().-]{5,}\d/g;

const isPhone = (match: string) => match.replace(/\D/g, '').length >= 7 && !/^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$/.test(match.trim());

/** Phones and e-mail addresses replaced, so they never leave the CRM in a call to a model. */
export const redact = (text: string) => text.replace(EMAIL, REDACTED_EMAIL).replace(PHONE, (m) => (isPhone(m) ? REDACTED_PHONE : m));
