import type { Receipt } from '../../core/ingest/receipt.ts';
import type { Principal } from '../../core/portal/principal.ts';
import { errors } from '../http/api-error.ts';
import type { PortalDeps } from '../ports.ts';

/** Upload ids as gateways make them (and receipt names the CLI makes): safe in a URL and a key. */
export const UPLOAD_ID_PATTERN = /^[A-Za-z0-9\u4e00-\u9fff][A-Za-z0-9\u4e00-\u9fff._-]{0,127}$/;

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function receiptPath(period: string, dept: string, uploadId: string): string {
  return `/receipts/${period}/${encodeURIComponent(dept)}/${encodeURIComponent(uploadId)}`;
}

export function receiptApiPath(period: string, dept: string, uploadId: string): string {
  return `/api/periods/${period}/uploads/${encodeURIComponent(dept)}/${encodeURIComponent(uploadId)}`;
}

/** The department a department user may touch: its own; anything else named is 403. */
export function ownDept(principal: Principal, asked?: string): string | undefined {
  if (principal.role === 'department') {
    if (asked !== undefined && asked !== principal.dept)
      throw errors.forbidden('只能查看本单位的内容', 'only your own department');
    return principal.dept ?? undefined;
  }
  return asked;
}

/** The file field of a multipart form, checked: present, named .xlsx-like, not empty. */
export function uploadedFile(value: unknown): File {
  if (!(value instanceof File) || value.size === 0 || value.name === '') {
    throw errors.badRequest(
      'no-file',
      '请选择要上传的 Excel 文件(.xlsx)',
      'choose the .xlsx file to upload (field "file")',
    );
  }
  return value;
}

/** Stores the bytes through the gateway (direct mode) under a key of its own. */
export async function receiveUpload(
  deps: PortalDeps,
  principal: Principal,
  period: string,
  file: File,
): Promise<{ uploadId: string; dept: string; sha256: string }> {
  if (deps.uploads.mode !== 'direct') {
    throw errors.conflict(
      'presigned-only',
      '请通过上传页面直接上传到存储',
      'this deployment takes uploads through the presigned form',
    );
  }
  if (file.size > deps.settings.maxUploadBytes) throw errors.tooLarge(deps.settings.maxUploadBytes);
  const dept = principal.dept;
  if (!dept) throw errors.forbidden();
  const bytes = new Uint8Array(await file.arrayBuffer());
  const stored = await deps.uploads.receive(principal, period, {
    name: file.name,
    contentType: file.type || XLSX_TYPE,
    bytes,
  });
  return { uploadId: stored.uploadId, dept, sha256: stored.sha256 };
}

const POLL_MS = 50;

/** Waits for ingest to write the receipt, up to the configured bound; undefined when it did not. */
export async function awaitReceipt(
  deps: PortalDeps,
  dept: string,
  period: string,
  uploadId: string,
  sha256?: string,
): Promise<Receipt | undefined> {
  const deadline = Date.now() + deps.settings.receiptWaitMs;
  for (;;) {
    const receipt = await deps.data.receipts.find(dept, period, uploadId, sha256);
    if (receipt || Date.now() >= deadline) return receipt;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
