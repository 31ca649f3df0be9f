import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { ObjectStoreArchive } from '../../../functions/adapters/archive.ts';
import { renderBulletinWorkbook } from '../../../functions/adapters/excel-bulletin.ts';
import { compose } from '../../../functions/adapters/mailer.ts';
import { Ed25519Signer } from '../../../functions/adapters/signing/ed25519-key.ts';
import type { BulletinModel } from '../../../functions/core/bulletin/bulletin-model.ts';
import { CorruptRecordError } from '../../../functions/core/errors.ts';
import {
  LINK_TTL_SECONDS,
  MAIL_ATTACHMENT_LIMIT_BYTES,
} from '../../../functions/use-cases/bulletin/deliver-bulletin.ts';
import {
  type IssueBulletinDeps,
  issueBulletin,
} from '../../../functions/use-cases/bulletin/issue-bulletin.ts';
import { PhaseTimeoutError } from '../../../functions/use-cases/bulletin/phase-deadline.ts';
import type { Mailer, MailMessage, PdfRenderer } from '../../../functions/use-cases/ports/bulletin.ts';
import {
  seedCatalog,
  seedCatalogVersion,
  seedCorrection,
  seedSubmissions,
} from '../../fixtures/bulletin/seed-inputs.ts';
import { packageCalendar } from '../../support/calendar.ts';
import { MemoryObjectStore } from './memory-object-store.ts';
import { memoryStores } from './memory-stores.ts';

/** A PDF port that records what it was asked to render; "PDF" bytes carry title and version. */
function fakePdf(opts: { delayMs?: number; fail?: boolean; hang?: boolean; bulletinBytes?: number } = {}) {
  const calls: string[] = [];
  let launches = 0;
  let closed = 0;
  const doc = async (model: BulletinModel, what: string) => {
    calls.push(what);
    if (opts.hang) await new Promise(() => {});
    if (opts.delayMs) await new Promise((resolve) => setTimeout(resolve, opts.delayMs));
    if (opts.fail) throw new Error('Chromium crashed');
    const pdf = new TextEncoder().encode(`%PDF ${what} ${model.title} v${model.version}`);
    if (what === 'bulletin' && opts.bulletinBytes) {
      const big = new Uint8Array(opts.bulletinBytes).fill(0x20);
      big.set(pdf);
      return { pdf: big, pages: 2 };
    }
    return { pdf, pages: 2 };
  };
  const create = (): PdfRenderer => {
    launches += 1;
    return {
      renderBulletin: (m) => doc(m, 'bulletin'),
      renderDepartment: (m, dept) => doc(m, dept),
      close: async () => {
        closed += 1;
      },
    };
  };
  return { create, calls, stats: () => ({ launches, closed }) };
}

function setup(pdf = fakePdf()) {
  const catalog = seedCatalog();
  const version = seedCatalogVersion(catalog);
  const stores = memoryStores(version);
  const subs = seedSubmissions(catalog, 6);
  stores.subs.push(...subs);
  const objects = new MemoryObjectStore();
  const sent: MailMessage[] = [];
  const mailer: Mailer = {
    send: async (m) => {
      sent.push(m);
      return { messageId: `<${sent.length}@test>`, location: `outbox/${sent.length}.eml` };
    },
  };
  let now = new Date('2023-07-05T00:00:00.000Z');
  const deps: IssueBulletinDeps = {
    ...stores,
    archive: new ObjectStoreArchive(objects, 'archive'),
    signer: Ed25519Signer.generate(),
    createPdfRenderer: pdf.create,
    renderWorkbook: renderBulletinWorkbook,
    mailer,
    clock: () => now,
    calendar: packageCalendar(),
    links: { link: async (key, ttl) => `https://links.test/${key}?X-Amz-Expires=${ttl}` },
    generatorVersion: 'duban test',
    recipients: { leaders: ['leader@example.org'], owner: 'owner@example.org' },
    pollMs: 5,
  };
  return {
    deps,
    stores,
    objects,
    sent,
    pdf,
    catalog,
    subs,
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
  };
}

describe('issueBulletin', () => {
  it('issues v1: one PDF for the bulletin and one per department, the workbook, the manifest, a mail', async () => {
    // Prepare
    const t = setup();

    // Act
    const result = await issueBulletin(t.deps, '2023-06');

    // Assess
    expect(result).toMatchObject({
      status: 'issued',
      version: 1,
      previousVersion: null,
      folder: 'bulletins/2023/06/v1/',
    });
    const deptIds = t.catalog.departments
      .filter((d) => t.catalog.indicators.some((i) => i.dept === d.id))
      .map((d) => d.id);
    const names = result.files.map((f) => f.name);
    expect(names.slice(0, 2)).toEqual(['bulletin.pdf', 'bulletin.xlsx']);
    expect(names.slice(2).sort()).toEqual(deptIds.map((id) => `depts/${id}.pdf`).sort());
    expect(result.files).toHaveLength(2 + deptIds.length);
    expect(t.pdf.stats()).toEqual({ launches: 1, closed: 1 });
    expect([...t.objects.objects.keys()].slice(-2)).toEqual([
      'archive/bulletins/2023/06/v1/manifest.json',
      'archive/bulletins/2023/06/v1/seal.json',
    ]);
    const [leaders, ...departments] = t.sent;
    expect(leaders?.to).toEqual(['leader@example.org']);
    expect(leaders?.text).toContain(result.headline[0]);
    expect(leaders?.text).toContain(result.manifestSha256);
    expect(leaders?.text).toContain('链位置 / chain position: 第 1 环 / link #1');
    expect(leaders?.attachments?.map((a) => a.filename.split('.').at(-1))).toEqual(['pdf', 'xlsx']);
    const mailed = t.catalog.departments.filter((d) => deptIds.includes(d.id) && d.emails.length > 0);
    expect(departments.map((m) => m.to)).toEqual(mailed.map((d) => d.emails));
    expect(t.stores.events.map((e) => e.action)).toEqual(['bulletin.issued', 'bulletin.delivered']);
    const [run] = await t.stores.ledger.runs('2023-06');
    expect(run).toMatchObject({
      version: 1,
      state: 'delivered',
      archived: { manifestSha256: result.manifestSha256 },
      delivered: { messages: t.sent.map((_, i) => `<${i + 1}@test>`) },
    });
  });

  it('dates the bulletin by the run it belongs to, whenever it is built (#12 problem 9)', async () => {
    // Prepare: the June run is scheduled for 5 July; the machine's clock says 2026
    const t = setup();
    t.advance(Date.parse('2026-11-29T14:35:00Z') - Date.parse('2023-07-05T00:00:00Z'));
    const seen: BulletinModel[] = [];
    const deps: IssueBulletinDeps = {
      ...t.deps,
      renderWorkbook: async (m) => {
        seen.push(m);
        return renderBulletinWorkbook(m);
      },
    };

    // Act
    await issueBulletin(deps, '2023-06', { issuedAt: new Date('2023-07-05T00:00:00+08:00') });

    // Assess
    expect(seen[0]).toMatchObject({
      issueDateLabel: '2023年7月5日',
      issueLabel: '2023年第6期',
      generatedAt: '2026-11-29T14:35:00.000Z',
    });
  });

  it('a run that archived but died before recording it is recorded as issued by the retry', async () => {
    // Prepare
    const t = setup();
    const append = t.deps.audit.append;
    let failNext = true;
    const deps: IssueBulletinDeps = {
      ...t.deps,
      audit: {
        ...t.deps.audit,
        append: async (e) => {
          if (failNext && e.action === 'bulletin.issued') {
            failNext = false;
            throw new Error('DynamoDB unavailable');
          }
          return append(e);
        },
      },
    };
    await issueBulletin(deps, '2023-06').catch(() => undefined);
    t.advance(60_000);

    // Act
    const retry = await issueBulletin(deps, '2023-06');

    // Assess
    expect(retry).toMatchObject({ status: 'unchanged', version: 1 });
    const issued = t.stores.events.filter((e) => e.action === 'bulletin.issued');
    expect(issued.map((e) => e.detail.version)).toEqual([1]);
    expect(t.sent.filter((m) => m.to.includes('leader@example.org'))).toHaveLength(1);
  });

  it('a run that archived but failed to mail is delivered by the retry, exactly once', async () => {
    // Prepare
    const t = setup();
    const send = t.deps.mailer.send;
    let failNext = true;
    const deps: IssueBulletinDeps = {
      ...t.deps,
      mailer: {
        send: async (m) => {
          if (failNext && m.to.includes('leader@example.org')) {
            failNext = false;
            throw new Error('SES throttled');
          }
          return send(m);
        },
      },
    };
    const failed = await issueBulletin(deps, '2023-06').catch((e: unknown) => e);
    t.advance(60_000);

    // Act
    const retry = await issueBulletin(deps, '2023-06');
    t.advance(60_000);
    const later = await issueBulletin(deps, '2023-06');

    // Assess
    expect(String(failed)).toContain('SES throttled');
    expect(retry.status).toBe('unchanged');
    expect(retry.notified.length).toBeGreaterThan(0);
    expect(later.notified).toHaveLength(0);
    const toLeaders = t.sent.filter((m) => m.to.includes('leader@example.org'));
    expect(toLeaders).toHaveLength(1);
    expect(t.stores.events.filter((e) => e.action === 'bulletin.delivered')).toHaveLength(1);
  });

  it('a re-run with unchanged inputs issues nothing and reports the same manifest as unchanged', async () => {
    // Prepare
    const t = setup();
    const first = await issueBulletin(t.deps, '2023-06');
    t.advance(60_000);

    // Act
    const again = await issueBulletin(t.deps, '2023-06');

    // Assess
    expect(again).toMatchObject({ status: 'unchanged', version: 1, manifestSha256: first.manifestSha256 });
    expect(t.stores.claims).toHaveLength(1);
    expect(t.sent.filter((m) => m.to.includes('leader@example.org'))).toHaveLength(1);
    expect(t.pdf.stats().launches).toBe(1);
  });

  it('a correction makes v2, which says what changed since v1', async () => {
    // Prepare
    const t = setup();
    await issueBulletin(t.deps, '2023-06');
    t.stores.subs.push(seedCorrection(t.catalog, t.subs));
    t.advance(86_400_000);

    // Act
    const v2 = await issueBulletin(t.deps, '2023-06');

    // Assess
    expect(v2).toMatchObject({
      status: 'issued',
      version: 2,
      previousVersion: 1,
      folder: 'bulletins/2023/06/v2/',
    });
    expect(v2.headline.at(-1)).toMatch(/^较第1版，更正1项数据：6月接待游客人数（文旅局）由/);
    const list = await t.deps.archive.list('2023-06');
    expect(list.map((v) => v.manifest.version)).toEqual([1, 2]);
    expect(list[1]?.manifest.submissionVersions['2023-06']?.wlj).toBe(2);
    expect(list[0]?.manifest.submissionVersions['2023-06']?.wlj).toBe(1);
    expect(v2.inputsHash).not.toBe(list[0]?.manifest.inputsHash);
  });

  it('two concurrent runs for one period produce one version', async () => {
    // Prepare
    const t = setup(fakePdf({ delayMs: 20 }));

    // Act
    const [a, b] = await Promise.all([issueBulletin(t.deps, '2023-06'), issueBulletin(t.deps, '2023-06')]);

    // Assess
    expect([a.status, b.status].sort()).toEqual(['issued', 'unchanged']);
    expect(a.version).toBe(1);
    expect(b.version).toBe(1);
    expect(a.manifestSha256).toBe(b.manifestSha256);
    expect(t.stores.claims).toHaveLength(1);
    expect((await t.deps.archive.list()).length).toBe(1);
    expect(t.sent.filter((m) => m.to.includes('leader@example.org'))).toHaveLength(1);
  });

  it('supersedes a claimed version whose run died before its manifest', async () => {
    // Prepare
    const dying = setup(fakePdf({ fail: true }));
    await expect(issueBulletin(dying.deps, '2023-06')).rejects.toThrow('Chromium crashed');
    dying.advance(10 * 60_000);
    const healthy = { ...dying.deps, createPdfRenderer: fakePdf().create };

    // Act
    const result = await issueBulletin(healthy, '2023-06');

    // Assess
    expect(result).toMatchObject({ status: 'issued', version: 2 });
    expect((await dying.deps.archive.list('2023-06')).map((v) => v.manifest.version)).toEqual([2]);
  });

  it('a retry of the same invocation supersedes its own dead claim at once, without waiting for the lease', async () => {
    // Prepare
    const dying = setup(fakePdf({ fail: true }));
    const first = { ...dying.deps, runId: 'request-1' };
    await expect(issueBulletin(first, '2023-06')).rejects.toThrow('Chromium crashed');
    dying.advance(60_000);
    const retry = { ...first, createPdfRenderer: fakePdf().create, deadlines: { claim: 1_000 } };

    // Act
    const result = await issueBulletin(retry, '2023-06');

    // Assess
    expect(result).toMatchObject({ status: 'issued', version: 2 });
    expect(dying.stores.claims.map((r) => [r.version, r.runId])).toEqual([
      [1, 'request-1'],
      [2, 'request-1'],
    ]);
  });

  it('another invocation within the lease waits for the run that holds the claim', async () => {
    // Prepare
    const dying = setup(fakePdf({ fail: true }));
    await expect(issueBulletin({ ...dying.deps, runId: 'request-1' }, '2023-06')).rejects.toThrow();
    const other = {
      ...dying.deps,
      runId: 'request-2',
      createPdfRenderer: fakePdf().create,
      deadlines: { claim: 50 },
    };

    // Act
    const result = await issueBulletin(other, '2023-06').catch((e: unknown) => e);

    // Assess
    expect(result).toBeInstanceOf(PhaseTimeoutError);
    expect(dying.stores.claims).toHaveLength(1);
  });

  it('a failed run throws, leaves no visible version, records the failure and tells the owner', async () => {
    // Prepare
    const t = setup(fakePdf({ fail: true }));

    // Act
    const run = issueBulletin(t.deps, '2023-06');

    // Assess
    await expect(run).rejects.toThrow('Chromium crashed');
    expect(await t.deps.archive.list()).toEqual([]);
    expect(t.stores.events.map((e) => e.action)).toEqual(['bulletin.failed']);
    expect(t.sent.map((m) => m.to)).toEqual([['owner@example.org']]);
    expect(t.sent[0]?.text).toContain('Chromium crashed');
    expect(t.pdf.stats()).toEqual({ launches: 1, closed: 1 });
  });

  it('a phase that overruns its deadline fails with the phase named', async () => {
    // Prepare
    const t = setup(fakePdf({ hang: true }));
    const deps = { ...t.deps, deadlines: { render: 50 } };

    // Act
    const run = issueBulletin(deps, '2023-06');

    // Assess
    await expect(run).rejects.toBeInstanceOf(PhaseTimeoutError);
    await expect(run).rejects.toThrow(/phase "render"/);
  });

  it('rejects a year without a catalog as input, without alarming the owner', async () => {
    // Prepare
    const t = setup();

    // Act
    const run = issueBulletin(t.deps, '2022-12');

    // Assess
    await expect(run).rejects.toThrow(/no catalog for 2022/);
    expect(t.sent).toEqual([]);
  });
});

describe('issueBulletin waiting for a concurrent run', () => {
  it('gives up at the claim deadline when the other run never writes its manifest', async () => {
    // Prepare: a run that claims v1 and then hangs in Chromium
    const t = setup();
    const stuck = issueBulletin({ ...t.deps, createPdfRenderer: fakePdf({ hang: true }).create }, '2023-06');
    stuck.catch(() => {});
    while (t.stores.claims.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const deps = { ...t.deps, deadlines: { claim: 100 }, leaseMs: 60_000 };

    // Act
    const run = issueBulletin(deps, '2023-06');

    // Assess
    await expect(run).rejects.toThrow(/phase "claim"/);
    expect(t.stores.claims).toHaveLength(1);
  });

  it('refuses, naming the folder, when the ledger says archived but the manifest is gone', async () => {
    // Prepare
    const t = setup();
    await issueBulletin(t.deps, '2023-06');
    t.objects.objects.delete('archive/bulletins/2023/06/v1/manifest.json');

    // Act
    const run = issueBulletin(t.deps, '2023-06');

    // Assess
    await expect(run).rejects.toBeInstanceOf(CorruptRecordError);
    await expect(run).rejects.toThrow(/bulletins\/2023\/06\/v1\//);
    expect(t.stores.claims).toHaveLength(1);
  });
});

/** The message as a mail client sees it: composed to RFC 822 as the mailer sends it, parsed back. */
async function parsed(message: MailMessage) {
  const identity = {
    from: 'duban@example.gov.cn',
    name: '解放区督办系统',
    replyTo: 'duchaban@example.gov.cn',
  };
  const { raw } = await compose(identity, message, new Date('2023-07-05T00:00:00Z'));
  return simpleParser(raw);
}

describe('bulletin mails', () => {
  it('the leaders get HTML and text: headline, counts, items behind with 责任单位, PDF and Excel attached, manifest sha256 last', async () => {
    // Prepare
    const t = setup();

    // Act
    const result = await issueBulletin(t.deps, '2023-06');
    const [leaders] = t.sent;
    if (!leaders) throw new Error('no leaders mail');
    const mail = await parsed(leaders);

    // Assess
    expect(mail.from?.value).toEqual([{ address: 'duban@example.gov.cn', name: '解放区督办系统' }]);
    expect(mail.replyTo?.value[0]?.address).toBe('duchaban@example.gov.cn');
    expect(mail.subject).toBe(`${result.title}（第1版）`);
    const files = new Map(result.files.map((f) => [f.name, f.size]));
    expect(mail.attachments.map((a) => [a.filename, a.contentType, a.size])).toEqual([
      [`${result.title}-v1.pdf`, 'application/pdf', files.get('bulletin.pdf')],
      [
        `${result.title}-v1.xlsx`,
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        files.get('bulletin.xlsx'),
      ],
    ]);
    for (const body of [mail.text ?? '', String(mail.html)]) {
      expect(body).toContain(result.headline[0]);
      expect(body).toContain('滞后指标及责任单位');
      expect(body).toContain('English:');
    }
    expect(mail.text?.trimEnd().split('\n').slice(-4)).toEqual([
      '链位置 / chain position: 第 1 环 / link #1',
      "上一环清单 sha256 / previous link's manifest: 无（首环） / none (first link)",
      `输入指纹 / inputs fingerprint: ${result.inputsHash}`,
      `sha256 ${result.manifestSha256}`,
    ]);
    expect(String(mail.html)).toContain(`<code>${result.manifestSha256}</code>`);
    expect(String(mail.html)).toContain('链位置 / chain position: 第 1 环 / link #1');
    const behind = Object.entries(result.statusCounts)
      .filter(([s]) => s === '欠进度' || s === '严重滞后')
      .reduce((n, [, c]) => n + c, 0);
    expect(mail.text?.match(/^(欠进度|严重滞后)　/gm) ?? []).toHaveLength(behind);
  });

  it('each department gets its own slice of the bulletin attached', async () => {
    // Prepare
    const t = setup();

    // Act
    const result = await issueBulletin(t.deps, '2023-06');
    const fgw = t.sent.find((m) => m.to.includes('fgw@jiefang.example.gov.cn'));
    if (!fgw) throw new Error('no mail to 发改委');
    const mail = await parsed(fgw);

    // Assess
    const slice = result.files.find((f) => f.name === 'depts/fgw.pdf');
    expect(mail.attachments.map((a) => [a.filename, a.size])).toEqual([
      [`${result.title}-发改委-v1.pdf`, slice?.size],
    ]);
    expect(mail.text).toContain('附件为你单位牵头指标的分册');
  });

  it(`a 12 MB bulletin is linked for ${LINK_TTL_SECONDS / 86_400} days instead of attached`, async () => {
    // Prepare
    const t = setup(fakePdf({ bulletinBytes: 12 * 1024 * 1024 }));

    // Act
    await issueBulletin(t.deps, '2023-06');
    const [leaders] = t.sent;
    if (!leaders) throw new Error('no leaders mail');
    const mail = await parsed(leaders);

    // Assess
    expect(12 * 1024 * 1024).toBeGreaterThan(MAIL_ATTACHMENT_LIMIT_BYTES);
    expect(mail.attachments).toHaveLength(0);
    expect(mail.text).toContain('https://links.test/bulletins/2023/06/v1/bulletin.pdf?X-Amz-Expires=604800');
    expect(mail.text).toContain('https://links.test/bulletins/2023/06/v1/bulletin.xlsx?X-Amz-Expires=604800');
    expect(mail.text).toContain('有效期至2023-07-12 08:00');
    expect(String(mail.html)).toContain(
      'href="https://links.test/bulletins/2023/06/v1/bulletin.pdf?X-Amz-Expires=604800"',
    );
  });

  it('no name or subject can add a header: CR and LF from a catalog become spaces', async () => {
    // Prepare
    const message: MailMessage = {
      to: ['leader@example.org'],
      subject: '发改委\r\nBcc: spy@evil.example\r\n\r\n正文',
      text: 'x',
      attachments: [
        { filename: 'a\r\nX-Evil: 1.pdf', content: new Uint8Array([1]), contentType: 'application/pdf' },
      ],
    };

    // Act
    const identity = { from: 'duban@example.gov.cn', name: '督办\r\nBcc: spy@evil.example' };
    const { raw } = await compose(identity, message, new Date(0));
    const mail = await simpleParser(raw);

    // Assess
    expect(mail.bcc).toBeUndefined();
    expect(mail.headers.has('x-evil')).toBe(false);
    expect(mail.subject).toBe('发改委 Bcc: spy@evil.example 正文');
    expect(mail.from?.value[0]).toEqual({
      address: 'duban@example.gov.cn',
      name: '督办 Bcc: spy@evil.example',
    });
    expect(mail.attachments[0]?.filename).toBe('a X-Evil: 1.pdf');
  });
});
