/**
 * The one entry point to libphonenumber-js. n8n only resolves a short list of modules at run time,
 * so the build bundles this file (library and metadata) into dist/vendor/libphonenumber.js, and
 * shipped code reaches it by a relative import that is loaded on first use (see shared/phone.ts).
 */
export { parsePhoneNumberFromString, getCountries, getCountryCallingCode } from 'libphonenumber-js/min';
export type { CountryCode, PhoneNumber } from 'libphonenumber-js/min';
