import type { AuditAction } from './audit-event.ts';

/** Chinese labels of audit actions (CLI and portal); an action added later still shows by its code. */
export const AUDIT_ACTION_ZH: Readonly<Record<AuditAction, string>> = {
  'catalog.loaded': '导入目标目录',
  'submission.accepted': '报送接收',
  'submission.corrected': '更正接收',
  'submission.unchanged': '重复上传(无变化)',
  'submission.rejected': '报送退回',
  'bulletin.issued': '通报生成',
  'bulletin.unchanged': '通报无变化',
  'bulletin.failed': '通报失败',
  'bulletin.delivered': '通报已送达',
  'user.added': '新增用户',
  'user.disabled': '停用用户',
  'reminder.sent': '催报已发送',
  'archive.chain-initialised': '旧档案入链',
};

export function auditActionZh(action: string): string {
  return (AUDIT_ACTION_ZH as Readonly<Record<string, string>>)[action] ?? action;
}
