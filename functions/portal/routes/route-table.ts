import type { Role } from '../../core/portal/principal.ts';

/**
 * Every route of the portal with who may use it: the one authorization table. `public`
 * needs no login, `any` any logged-in role, otherwise the roles listed. Department users are
 * further limited to their own department inside the handlers (the dept always comes from
 * the session, and a path naming another department answers 403).
 * The route/authorization matrix test walks this table for every role.
 */
export type Access = 'public' | 'any' | readonly Role[];

export interface RouteSpec {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  readonly access: Access;
  /** API routes answer JSON errors; pages answer HTML (and redirect to the login page). */
  readonly kind: 'api' | 'page';
}

const DEPT = ['department'] as const satisfies readonly Role[];
const OVERSIGHT = ['leader', 'auditor', 'admin'] as const satisfies readonly Role[];

export const ROUTES = {
  health: { method: 'GET', path: '/healthz', access: 'public', kind: 'api' },
  asset: { method: 'GET', path: '/assets/*', access: 'public', kind: 'page' },
  signIn: { method: 'POST', path: '/api/session', access: 'public', kind: 'api' },
  signOut: { method: 'DELETE', path: '/api/session', access: 'public', kind: 'api' },
  me: { method: 'GET', path: '/api/me', access: 'any', kind: 'api' },
  template: { method: 'GET', path: '/api/periods/:period/template', access: DEPT, kind: 'api' },
  uploadForm: { method: 'GET', path: '/api/periods/:period/upload-form', access: DEPT, kind: 'api' },
  upload: { method: 'POST', path: '/api/periods/:period/uploads', access: DEPT, kind: 'api' },
  uploads: {
    method: 'GET',
    path: '/api/periods/:period/uploads',
    access: ['department', 'auditor', 'admin'],
    kind: 'api',
  },
  receipt: {
    method: 'GET',
    path: '/api/periods/:period/uploads/:dept/:uploadId',
    access: ['department', 'auditor', 'admin'],
    kind: 'api',
  },
  annotated: {
    method: 'GET',
    path: '/api/periods/:period/uploads/:dept/:uploadId/annotated.xlsx',
    access: ['department', 'auditor', 'admin'],
    kind: 'api',
  },
  status: { method: 'GET', path: '/api/periods/:period/status', access: 'any', kind: 'api' },
  submissions: {
    method: 'GET',
    path: '/api/submissions',
    access: ['department', 'auditor', 'admin'],
    kind: 'api',
  },
  bulletins: { method: 'GET', path: '/api/bulletins', access: 'any', kind: 'api' },
  bulletinFile: { method: 'GET', path: '/api/bulletins/:period/:version/*', access: 'any', kind: 'api' },
  verify: { method: 'POST', path: '/api/archive/verify', access: ['auditor'], kind: 'api' },
  raw: { method: 'GET', path: '/api/raw/:sha256', access: ['auditor'], kind: 'api' },
  audit: { method: 'GET', path: '/api/audit', access: ['auditor', 'admin'], kind: 'api' },
  catalogs: { method: 'GET', path: '/api/catalogs', access: ['admin'], kind: 'api' },
  catalogLoad: { method: 'POST', path: '/api/catalogs', access: ['admin'], kind: 'api' },
  users: { method: 'GET', path: '/api/users', access: ['admin'], kind: 'api' },
  userAdd: { method: 'POST', path: '/api/users', access: ['admin'], kind: 'api' },
  userDisable: { method: 'POST', path: '/api/users/:username/disable', access: ['admin'], kind: 'api' },

  home: { method: 'GET', path: '/', access: 'public', kind: 'page' },
  loginPage: { method: 'GET', path: '/login', access: 'public', kind: 'page' },
  loginForm: { method: 'POST', path: '/login', access: 'public', kind: 'page' },
  logoutForm: { method: 'POST', path: '/logout', access: 'public', kind: 'page' },
  deptPage: { method: 'GET', path: '/dept', access: DEPT, kind: 'page' },
  deptUpload: { method: 'POST', path: '/dept/upload', access: DEPT, kind: 'page' },
  deptHistory: { method: 'GET', path: '/dept/history', access: DEPT, kind: 'page' },
  receiptPage: {
    method: 'GET',
    path: '/receipts/:period/:dept/:uploadId',
    access: ['department', 'auditor', 'admin'],
    kind: 'page',
  },
  leaderPage: { method: 'GET', path: '/leader', access: OVERSIGHT, kind: 'page' },
  bulletinPage: {
    method: 'GET',
    path: '/leader/bulletins/:period/:version',
    access: OVERSIGHT,
    kind: 'page',
  },
  boardPage: { method: 'GET', path: '/leader/board', access: OVERSIGHT, kind: 'page' },
  archivePage: { method: 'GET', path: '/audit/archive', access: ['auditor'], kind: 'page' },
  verifyForm: { method: 'POST', path: '/audit/verify', access: ['auditor'], kind: 'page' },
  rawPage: { method: 'GET', path: '/audit/submissions', access: ['auditor'], kind: 'page' },
  auditPage: { method: 'GET', path: '/audit/log', access: ['auditor', 'admin'], kind: 'page' },
  catalogsPage: { method: 'GET', path: '/admin/catalogs', access: ['admin'], kind: 'page' },
  catalogForm: { method: 'POST', path: '/admin/catalogs', access: ['admin'], kind: 'page' },
  usersPage: { method: 'GET', path: '/admin/users', access: ['admin'], kind: 'page' },
  userForm: { method: 'POST', path: '/admin/users', access: ['admin'], kind: 'page' },
  userDisableForm: {
    method: 'POST',
    path: '/admin/users/:username/disable',
    access: ['admin'],
    kind: 'page',
  },
} as const satisfies Record<string, RouteSpec>;

export type RouteName = keyof typeof ROUTES;

export function allows(access: Access, role: Role | undefined): boolean {
  if (access === 'public') return true;
  if (role === undefined) return false;
  return access === 'any' || access.includes(role);
}
