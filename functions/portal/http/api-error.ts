import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * An answer the portal gives on purpose: a status, a stable code and the message in Chinese
 * and English. API routes send it as `{ "error": { code, message_zh, message_en } }`; pages
 * render it on the error page.
 */
export class PortalError extends Error {
  override readonly name: string = 'PortalError';
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    readonly message_zh: string,
    readonly message_en: string,
  ) {
    super(message_en);
  }

  toJSON() {
    return { error: { code: this.code, message_zh: this.message_zh, message_en: this.message_en } };
  }
}

export const errors = {
  badRequest: (code: string, zh: string, en: string) => new PortalError(400, code, zh, en),
  unauthenticated: () => new PortalError(401, 'unauthenticated', '请先登录', 'log in first'),
  badCredentials: () =>
    new PortalError(401, 'bad-credentials', '用户名或密码不正确', 'wrong username or password'),
  forbidden: (zh = '无权访问此内容', en = 'you may not access this') =>
    new PortalError(403, 'forbidden', zh, en),
  crossOrigin: () =>
    new PortalError(
      403,
      'cross-origin',
      '请求来自其他网站,已拒绝(请在本系统页面内操作)',
      'request from another site refused (use the portal pages)',
    ),
  notFound: (zh = '找不到该内容', en = 'not found') => new PortalError(404, 'not-found', zh, en),
  conflict: (code: string, zh: string, en: string) => new PortalError(409, code, zh, en),
  tooLarge: (limitBytes: number) => {
    const mb = (limitBytes / 1024 / 1024).toFixed(0);
    return new PortalError(
      413,
      'file-too-large',
      `文件超过上限 ${mb} MB,请只上传本单位的填报模板`,
      `the file is over the ${mb} MB limit; upload only your department's template`,
    );
  },
  unprocessable: (code: string, zh: string, en: string) => new PortalError(422, code, zh, en),
  tooManyAttempts: (retryAfterSeconds: number) =>
    new PortalError(
      429,
      'too-many-attempts',
      `登录失败次数过多,请 ${Math.ceil(retryAfterSeconds / 60)} 分钟后再试`,
      `too many failed logins; try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s)`,
    ),
  badPeriod: (raw: string) =>
    new PortalError(
      400,
      'bad-period',
      `月份「${raw}」格式不对,应为 YYYY-MM`,
      `period "${raw}" must be YYYY-MM`,
    ),
} as const;
