import dayjs from 'dayjs';

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  const d = dayjs(value);
  return d.isValid() ? d.format('DD/MM/YYYY HH:mm') : value;
}

export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const d = dayjs(value);
  return d.isValid() ? d.format('DD/MM/YYYY') : value;
}

/** Whether a record valid from `validFrom` through `validTo` (both inclusive, as the API's `active_on`) is in force on `on`. */
export function inForce(validFrom: string | null | undefined, validTo: string | null | undefined, on = dayjs()): boolean {
  if (validFrom && dayjs(validFrom).isAfter(on, 'day')) return false;
  if (validTo && dayjs(validTo).isBefore(on, 'day')) return false;
  return true;
}
