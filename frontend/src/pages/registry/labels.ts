type T = (key: string, options?: Record<string, unknown>) => string;

/** The translated label of an API enum value (`<group>.<value>`), or the value itself when unknown. */
export function enumLabel(t: T, group: string, value: string | null | undefined): string {
  if (value == null) return '';
  const key = `${group}.${value}`;
  const label = t(key);
  return label === key ? value : label;
}

export const producerKindLabel = (t: T, kind: string) => enumLabel(t, 'registry.producerKinds', kind);
export const producerStatusLabel = (t: T, status: string) => enumLabel(t, 'registry.producerStatuses', status);
export const productStatusLabel = (t: T, status: string) => enumLabel(t, 'registry.productStatuses', status);
export const certificateStatusLabel = (t: T, status: string) => enumLabel(t, 'registry.certificateStatuses', status);
