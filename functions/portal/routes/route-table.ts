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

function api(method: RouteSpec['method'], path: string, access: Access): RouteSpec {
  return { method, path, access, kind: 'api' };
}

function page(method: RouteSpec['method'], path: string, access: Access): RouteSpec {
  return { method, path, access, kind: 'page' };
}

const DEPT = ['department'] as const satisfies readonly Role[];
/** An upload, its receipt and annotated copy: the department's own, and those who check it. */
const SUBMISSION_READERS = ['department', 'auditor', 'admin'] as const satisfies readonly Role[];
const OVERSIGHT = ['leader', 'auditor', 'admin'] as const satisfies readonly Role[];
const AUDITOR = ['auditor'] as const satisfies readonly Role[];
const AUDIT_LOG_READERS = ['auditor', 'admin'] as const satisfies readonly Role[];
const ADMIN = ['admin'] as const satisfies readonly Role[];

const UPLOAD = '/api/periods/:period/uploads/:dept/:uploadId';

export const ROUTES = {
  health: api('GET', '/healthz', 'public'),
  asset: page('GET', '/assets/*', 'public'),
  signIn: api('POST', '/api/session', 'public'),
  signOut: api('DELETE', '/api/session', 'public'),
  me: api('GET', '/api/me', 'any'),
  template: api('GET', '/api/periods/:period/template', DEPT),
  uploadForm: api('GET', '/api/periods/:period/upload-form', DEPT),
  upload: api('POST', '/api/periods/:period/uploads', DEPT),
  uploads: api('GET', '/api/periods/:period/uploads', SUBMISSION_READERS),
  receipt: api('GET', UPLOAD, SUBMISSION_READERS),
  annotated: api('GET', `${UPLOAD}/annotated.xlsx`, SUBMISSION_READERS),
  status: api('GET', '/api/periods/:period/status', 'any'),
  submissions: api('GET', '/api/submissions', SUBMISSION_READERS),
  bulletins: api('GET', '/api/bulletins', 'any'),
  bulletinFile: api('GET', '/api/bulletins/:period/:version/*', 'any'),
  verify: api('POST', '/api/archive/verify', AUDITOR),
  raw: api('GET', '/api/raw/:sha256', AUDITOR),
  audit: api('GET', '/api/audit', AUDIT_LOG_READERS),
  catalogs: api('GET', '/api/catalogs', ADMIN),
  catalogLoad: api('POST', '/api/catalogs', ADMIN),
  users: api('GET', '/api/users', ADMIN),
  userAdd: api('POST', '/api/users', ADMIN),
  userDisable: api('POST', '/api/users/:username/disable', ADMIN),

  home: page('GET', '/', 'public'),
  loginPage: page('GET', '/login', 'public'),
  loginForm: page('POST', '/login', 'public'),
  logoutForm: page('POST', '/logout', 'public'),
  deptPage: page('GET', '/dept', DEPT),
  deptUpload: page('POST', '/dept/upload', DEPT),
  deptHistory: page('GET', '/dept/history', DEPT),
  receiptPage: page('GET', '/receipts/:period/:dept/:uploadId', SUBMISSION_READERS),
  leaderPage: page('GET', '/leader', OVERSIGHT),
  bulletinPage: page('GET', '/leader/bulletins/:period/:version', OVERSIGHT),
  boardPage: page('GET', '/leader/board', OVERSIGHT),
  archivePage: page('GET', '/audit/archive', AUDITOR),
  verifyForm: page('POST', '/audit/verify', AUDITOR),
  rawPage: page('GET', '/audit/submissions', AUDITOR),
  auditPage: page('GET', '/audit/log', AUDIT_LOG_READERS),
  catalogsPage: page('GET', '/admin/catalogs', ADMIN),
  catalogForm: page('POST', '/admin/catalogs', ADMIN),
  usersPage: page('GET', '/admin/users', ADMIN),
  userForm: page('POST', '/admin/users', ADMIN),
  userDisableForm: page('POST', '/admin/users/:username/disable', ADMIN),
} as const satisfies Record<string, RouteSpec>;

export type RouteName = keyof typeof ROUTES;

export function allows(access: Access, role: Role | undefined): boolean {
  if (access === 'public') return true;
  if (role === undefined) return false;
  return access === 'any' || access.includes(role);
}
