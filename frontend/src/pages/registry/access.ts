// Who may do what in the registry screens (the API enforces the same rules; this only hides buttons).

/** Coordinators and administrators register producers anywhere, local officers in their own units. */
export function registerScope(roles: readonly string[] | null | undefined): { allowed: boolean; provinceWide: boolean } {
  const r = roles ?? [];
  const provinceWide = r.includes('admin') || r.includes('coordinator');
  return { allowed: provinceWide || r.includes('local_officer'), provinceWide };
}
