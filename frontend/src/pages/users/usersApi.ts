// All /users calls in one place, so that small differences in the generated
// schema only need fixing here.
import { api } from '../../api/client';
import { ifMatch } from '../../api/etag';
import { ensureOk, unwrap } from '../../api/problem';
import type { User, UserCreate, UserPage, UsersQuery } from '../../api/types';

export interface UserFilters {
  q?: string;
  role?: string;
  active?: boolean;
}

export async function listUsers(filters: UserFilters, cursor: string | undefined, limit: number): Promise<UserPage> {
  const query = { limit, cursor, ...filters } as UsersQuery;
  return unwrap(await api.GET('/api/v1/users', { params: { query } }));
}

export interface UserFields {
  full_name?: string;
  email?: string | null;
  phone?: string | null;
  title?: string | null;
  agency_id?: number | null;
  roles?: string[];
  scope_unit_id?: number | null;
  active?: boolean;
}

export async function createUser(body: UserFields & { username: string; password: string }): Promise<User> {
  return unwrap(await api.POST('/api/v1/users', { body: body as UserCreate }));
}

export async function updateUser(user: Pick<User, 'id' | 'version'>, changes: UserFields): Promise<User> {
  const etag = ifMatch(user.version);
  return unwrap(
    await api.PATCH('/api/v1/users/{user_id}', {
      params: { path: { user_id: user.id }, header: { 'If-Match': etag } },
      headers: { 'If-Match': etag },
      body: changes as never,
    }),
  );
}

export async function resetPassword(userId: User['id'], newPassword: string): Promise<void> {
  ensureOk(
    await api.POST('/api/v1/users/{user_id}/password', {
      params: { path: { user_id: userId } },
      body: { new_password: newPassword },
    }),
  );
}
