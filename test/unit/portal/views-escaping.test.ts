import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../functions/core/portal/principal.ts';
import { createViews } from '../../../functions/portal/views/render.ts';

/**
 * Whatever a department writes (情况说明, a file name, a value) reaches other people's pages.
 * Every template prints it as text: these render each page that shows such text with
 * `<script>` and `<img onerror>` in it and look for any tag that was not escaped.
 */

const SCRIPT = '<script>alert(1)</script>';
const IMG = '<img src=x onerror=alert(2)>';
const ATTR = '" onmouseover="alert(3)';
const views = createViews();
const leader: Principal = { username: 'leader', role: 'leader', dept: null, name: `领导${SCRIPT}` };

/** Markup that only an injection could have produced: a raw tag, or a raw quote ending an attribute. */
function injected(html: string): string[] {
  return [...html.matchAll(/<script>alert|<img src=x|" onmouseover=/g)].map((m) => m[0]);
}

describe('pages print untrusted text escaped', () => {
  it('the leader page: notes, names and headline', () => {
    const html = views.page(
      'leader',
      { title: SCRIPT, principal: leader },
      {
        latest: {
          period: '2023-06',
          version: 1,
          issuedAt: '2023-07-05T00:00:00Z',
          title: `通报${IMG}`,
          headline: [`严重滞后1项：${SCRIPT}`],
          statusCounts: { 严重滞后: 1 },
          previousVersion: null,
          manifestKey: 'k',
          manifestSha256: 's',
          files: [],
        },
        behind: [
          {
            code: 'ECO-GDP',
            name: IMG,
            dept: ATTR,
            status: '严重滞后',
            value: '1',
            target: '2',
            note: `${SCRIPT}${IMG}`,
          },
        ],
        notReported: [{ dept: SCRIPT, names: [IMG] }],
        deptFiles: [{ name: SCRIPT, url: `/x${ATTR}` }],
        fileUrl: () => '/f',
        earlier: [],
      },
    );
    expect(injected(html)).toEqual([]);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
  });

  it('the receipt page: problems, uploader and values', () => {
    const problem = {
      code: 'value-not-numeric',
      severity: 'error',
      sheet: SCRIPT,
      cell: IMG,
      indicator: 'X',
      indicatorName: IMG,
      message_zh: SCRIPT,
      message_en: IMG,
      value: SCRIPT,
    };
    const html = views.page(
      'receipt',
      { title: '回执', principal: leader },
      {
        period: '2023-06',
        dept: 'fgw',
        deptName: SCRIPT,
        uploadId: `u${ATTR}`,
        names: new Map([['X', IMG]]),
        problems: [problem],
        annotatedUrl: null,
        receipt: {
          status: 'rejected',
          summary_zh: SCRIPT,
          source: { receivedAt: '2023-07-01T00:00:00Z', uploader: IMG, size: 10, sha256: 'a'.repeat(64) },
          counts: { errors: 1, warnings: 0 },
          correction: { previousVersion: 1, changes: [{ code: 'X', before: SCRIPT, after: IMG }] },
        },
      },
    );
    expect(injected(html)).toEqual([]);
  });

  it('the audit log and the board', () => {
    const log = views.page(
      'audit-log',
      { title: '审计', principal: leader },
      {
        events: [
          {
            at: '2023-07-01T00:00:00Z',
            period: '2023-06',
            dept: SCRIPT,
            label: IMG,
            actor: ATTR,
            detailText: SCRIPT,
          },
        ],
        total: 1,
        filter: { period: ATTR, dept: SCRIPT },
        actions: [['x', IMG]],
        csvUrl: `/api/audit?x=${ATTR}`,
      },
    );
    const board = views.page(
      'board',
      { title: '进度', principal: leader },
      {
        period: '2023-06',
        choice: { current: '2023-06', options: ['2023-06'] },
        status: {
          due: { day: SCRIPT },
          departments: [
            {
              dept: 'a',
              name: IMG,
              latest: { version: 1, receivedAt: '2023-07-03T01:00:00Z' },
              standing: 'on-time',
              late: false,
              remindedAt: [],
            },
          ],
        },
        reported: 1,
        missing: 0,
        now: new Date(),
      },
    );
    expect(injected(log)).toEqual([]);
    expect(injected(board)).toEqual([]);
  });
});
