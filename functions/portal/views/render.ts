import { join } from 'node:path';
import { Eta } from 'eta';
import { templatesRoot } from '../../adapters/templates-dir.ts';
import { beijingParts, formatBeijing, periodZh } from '../../core/portal/beijing-time.ts';
import { type Principal, ROLE_ZH } from '../../core/portal/principal.ts';
import { loadAssets, type PortalAssets } from './assets.ts';

/**
 * Server-rendered pages: eta templates in templates/portal/, every value escaped (`<%= %>`;
 * the templates never use the raw `<%~ %>` on data). Helpers for Beijing time and periods
 * are handed to every template as `h`.
 */

export interface NavItem {
  readonly href: string;
  readonly label: string;
}

export interface PageFrame {
  readonly title: string;
  readonly principal?: Principal;
  /** Path of the page, to mark the current navigation item. */
  readonly path?: string;
  /** Extra origins the page's forms post to (presigned uploads), already in the CSP. */
  readonly district?: string;
  /** Reload the page after this many seconds (receipt not ready yet): a meta refresh, no script. */
  readonly refreshSeconds?: number;
}

export const helpers = {
  time: formatBeijing,
  date: (iso: string | Date) => beijingParts(iso instanceof Date ? iso : new Date(iso)).date,
  period: periodZh,
  roleZh: (role: Principal['role']) => ROLE_ZH[role],
  bytes: (n: number) =>
    n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`,
  /** Query string from defined values only. */
  query: (params: Record<string, string | undefined>) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
    const s = q.toString();
    return s ? `?${s}` : '';
  },
} as const;

export function navFor(principal: Principal | undefined): NavItem[] {
  switch (principal?.role) {
    case 'department':
      return [
        { href: '/dept', label: '本月填报' },
        { href: '/dept/history', label: '报送记录' },
      ];
    case 'leader':
      return [
        { href: '/leader', label: '进度通报' },
        { href: '/leader/board', label: '报送进度' },
      ];
    case 'auditor':
      return [
        { href: '/audit/archive', label: '通报档案' },
        { href: '/audit/submissions', label: '原始报送' },
        { href: '/audit/log', label: '审计日志' },
      ];
    case 'admin':
      return [
        { href: '/admin/catalogs', label: '目标目录' },
        { href: '/admin/users', label: '用户管理' },
        { href: '/leader/board', label: '报送进度' },
        { href: '/audit/log', label: '审计日志' },
      ];
    default:
      return [];
  }
}

export interface Views {
  readonly assets: PortalAssets;
  page(name: string, frame: PageFrame, data: Record<string, unknown>): string;
}

export function createViews(templatesDir = templatesRoot()): Views {
  const dir = join(templatesDir, 'portal');
  const eta = new Eta({ views: dir, autoEscape: true, cache: true, autoTrim: [false, 'nl'] });
  const assets = loadAssets(dir);
  return {
    assets,
    page(name, frame, data) {
      return eta.render(`./${name}`, {
        ...data,
        frame: { ...frame, nav: navFor(frame.principal) },
        assets: {
          css: assets.url('portal.css'),
          js: assets.url('portal.js'),
          fonts: assets.url('fonts.css'),
        },
        h: helpers,
      });
    },
  };
}
