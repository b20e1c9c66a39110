// Which form of tax code applies to a producer of a kind. Since 1 July 2025 (Circular 86/2024/TT-BTC)
// household businesses use the owner's 12-digit personal identification number (an older 10-digit code
// stays valid); enterprises, cooperatives and cooperative groups keep 10 digits (10-3 for a branch).
// The server checks the code; this only chooses the field's description.

/** Kinds that may use the 12-digit personal identification number (mirrors the server's rule). */
export const PERSONAL_ID_KINDS: readonly string[] = ['household_business'];

export type TaxCodeHintKey =
  | 'producers.taxCodeHintAny'
  | 'producers.taxCodeHintPersonal'
  | 'producers.taxCodeHintOrganisation';

/** The i18n key of the tax-code field's description for the chosen kind (none chosen yet: every form). */
export function taxCodeHintKey(kind: string | null | undefined): TaxCodeHintKey {
  if (!kind) return 'producers.taxCodeHintAny';
  return PERSONAL_ID_KINDS.includes(kind) ? 'producers.taxCodeHintPersonal' : 'producers.taxCodeHintOrganisation';
}
