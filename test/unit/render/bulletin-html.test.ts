import { describe, expect, it } from 'vitest';
import { buildBulletinView } from '../../../functions/adapters/pdf/bulletin-view.ts';
import { createHtmlRenderer, cssString } from '../../../functions/adapters/pdf/html-renderer.ts';
import { allRows, type BulletinModel } from '../../../functions/core/bulletin/bulletin-model.ts';
import { NotFoundError } from '../../../functions/core/errors.ts';
import { sampleModel, sampleWithFirstRow } from '../../fixtures/bulletin/sample-model.ts';

const renderer = createHtmlRenderer();

function render(model: BulletinModel, deptId?: string) {
  return renderer.render(buildBulletinView(model, deptId));
}

/** The HTML without embedded fonts and SVG, so assertions look at the document's own text. */
function body(html: string): string {
  return html.replace(/<style>[\s\S]*?<\/style>/g, '').replace(/<svg[\s\S]*?<\/svg>/g, '');
}

describe('bulletin HTML', () => {
  it('holds the cover facts, headline, every indicator row with its status text, and the appendix', () => {
    // Prepare
    const model = sampleModel;

    // Act
    const doc = render(model);
    const text = body(doc.html);

    // Assess
    expect(doc.title).toBe(model.title);
    expect(doc.html).toContain(`<title>${model.title}</title>`);
    expect(text).toContain(model.periodLabel);
    expect(text).toContain(`第${model.version}版`);
    expect(text).toContain(model.generatedDateLabel);
    for (const sentence of model.headline) expect(text).toContain(sentence.replaceAll('"', '&quot;'));
    for (const row of allRows(model)) {
      expect(text).toContain(row.code);
      // Status survives grey-scale printing: the badge carries the status name as text.
      const rowHtml = text.slice(text.indexOf(`${row.code} · `));
      expect(rowHtml.slice(0, 1200)).toContain(`</span>${row.status}</span>`);
    }
    expect(text).toContain('序时进度');
    for (const rule of model.appendix.statusRules) expect(text).toContain(rule.rule);
    for (const d of model.notReported) expect(text).toContain(d.name);
    // Reporting against the due date: page 1 counts it, the tables carry the reminder dates.
    expect(text).toContain(`报送情况：${model.reporting?.summary}`);
    expect(text).toContain('已催报：7月3日、7月4日');
    expect(text).toContain('未报送（已催报：7月3日、7月4日）');
    expect(text).toContain(
      '报送截止日：2023年7月4日，按“次月4日（遇法定节假日或休息日顺延至下一个工作日）”确定',
    );
  });

  it('draws one status overview chart and a server-side SVG trend chart per amount, stock, rate and rank', () => {
    // Prepare
    const charted = new Set(['cumulative', 'stock', 'rate', 'rank']);
    const numeric = allRows(sampleModel).filter((r) => charted.has(r.kind)).length;

    // Act
    const doc = render(sampleModel);

    // Assess
    expect(doc.html.match(/<svg[\s>]/g)?.length).toBe(numeric + 1);
    expect(doc.html).not.toMatch(/<script[\s>]/);
    expect(doc.html).not.toMatch(/(src|href)=["']?(https?:|file:|\/\/)/);
  });

  it('escapes department notes so a note can never become markup', () => {
    // Prepare
    const model = sampleWithFirstRow({ note: '<img src=x onerror=alert(1)> & "quoted"' });

    // Act
    const doc = render(model);

    // Assess
    expect(doc.html).not.toContain('<img src=x');
    expect(doc.html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quoted&quot;');
  });

  it('prints header and footer as page-margin boxes in the page fonts, with no header on the cover', () => {
    // Act
    const doc = render(sampleModel);
    const view = buildBulletinView(sampleModel);

    // Assess
    expect(doc.parts.css).toContain(`content: "${view.headerText}"`);
    expect(doc.parts.css).toContain('counter(page)');
    expect(doc.parts.css).toContain('counter(pages)');
    expect(doc.parts.css).toMatch(/@page :first\s*{\s*@top-left\s*{\s*content:\s*none;/);
    expect(doc.headerFooterText).toContain(sampleModel.district);
    expect(doc.headerFooterText).toContain('0123456789');
    // Margin boxes do not wait for fonts: the body carries the same text so its faces load first.
    expect(doc.parts.body).toContain(`${doc.headerFooterText}</div>`);
    expect(doc.html).not.toContain('class="pageNumber"');
    expect(doc.fontFiles.size).toBeGreaterThan(2);
    expect(doc.parts.fontFaces.length).toBe(doc.fontFiles.size);
  });

  it('keeps model text inside its CSS string: quotes and markup cannot break out of the header', () => {
    // Prepare
    const model = { ...sampleModel, district: '某区"}</style><script>x()</script>\\' };

    // Act
    const doc = render(model);

    // Assess
    expect(cssString('a"b\\c</style>')).toBe('"a\\22 b\\5c c\\3c /style\\3e "');
    expect(doc.parts.css).not.toContain('</style>');
    expect(doc.parts.css).not.toContain('<script>');
    const head = doc.html.slice(0, doc.html.indexOf('<body>'));
    expect(head.match(/<\/style>/g)?.length).toBe(2);
    expect(head).not.toContain('<script>');
  });

  it("renders a department's slice with only the rows that department leads", () => {
    // Prepare
    const dept = sampleModel.departments.find((d) => d.total >= 2);
    if (dept === undefined) throw new Error('sample has no department with two indicators');
    const others = allRows(sampleModel).filter((r) => r.dept !== dept.id);

    // Act
    const text = body(render(sampleModel, dept.id).html);

    // Assess
    expect(text).toContain(`责任单位专报：${dept.name}`);
    expect(text).toContain(`本单位牵头${dept.total}项指标`);
    for (const code of dept.indicatorCodes) expect(text).toContain(code);
    for (const r of others) expect(text).not.toContain(`${r.code} · `);
  });

  it('refuses a department that is not in the bulletin', () => {
    // Act / Assess
    expect(() => buildBulletinView(sampleModel, 'no-such-dept')).toThrow(NotFoundError);
  });

  it("prints a department's emoji and Extension-B characters as code points with a footnote, and the rest as typed", () => {
    // Prepare
    const model = sampleWithFirstRow({ note: '受强降雨影响，进度略有滞后😷，负责人𠮷' });
    const [milestone, ...otherMilestones] = model.milestones;
    if (milestone === undefined) throw new Error('sample has no milestones');
    const withMilestoneNote = {
      ...model,
      milestones: [{ ...milestone, note: '已开工👍🏻' }, ...otherMilestones],
    };

    // Act
    const plain = body(render(sampleModel).html);
    const text = body(render(withMilestoneNote).html);

    // Assess
    expect(text).toContain('受强降雨影响，进度略有滞后〔U+1F637〕，负责人〔U+20BB7〕');
    expect(text).toContain('已开工〔U+1F44D U+1F3FB〕');
    expect(text).not.toContain('😷');
    expect(text).not.toContain('𠮷');
    expect(text.match(/class="notes-footnote"/g)?.length).toBe(2);
    expect(text).toContain('按其 Unicode 码位标出');
    expect(plain).not.toContain('notes-footnote');
  });
});

describe('bulletin HTML a leader can defend (#12)', () => {
  const text = body(render(sampleModel).html);

  it('prints the 期号, the issue date, and correction times in Beijing time (problem 9)', () => {
    // Assess
    expect(text).toContain(`<tr><th>期号</th><td>${sampleModel.issueLabel}</td></tr>`);
    expect(text).toContain(`<tr><th>编发日期</th><td>${sampleModel.issueDateLabel}</td></tr>`);
    const correction = sampleModel.corrections.items[0];
    expect(correction?.receivedAtText).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(text).toContain(`<td>${correction?.receivedAtText}</td>`);
    expect(text).not.toContain('UTC');
  });

  it('marks assumed and derived targets beside the target and explains the marks (problem 7)', () => {
    // Prepare
    const assumed = allRows(sampleModel).find((r) => r.targetBasis === 'assumed');

    // Assess
    expect(text).toContain(`${assumed?.targetText}<sup class="basis">假</sup>`);
    expect(text).toContain('标“假”的报告未明确');
    expect(text).toContain(
      `本期判定的${sampleModel.judgedIndicators}项中，${sampleModel.assumedJudgements}项依据假设目标`,
    );
  });

  it('gives the not-judged statuses their own class and lists 重点督办事项 on page 1 (problem 1, escalation)', () => {
    // Assess
    expect(text).toMatch(/本期判定（\d+项）/);
    expect(text).toMatch(/本期不判定（\d+项）/);
    const summary = text.slice(text.indexOf('一、总体情况'), text.indexOf('二、分领域进展情况'));
    expect(summary).toContain('重点督办事项');
    for (const e of sampleModel.escalations)
      expect(summary).toContain(`<td>${e.name}</td><td>${e.deptShortName}</td>`);
  });

  it('lists the departments in the order of the printed share, ties marked (problem 1)', () => {
    // Prepare
    const table = text.slice(text.indexOf('三、责任单位进展与排名'), text.indexOf('四、未报送单位'));

    // Act
    const shares = [...table.matchAll(/<td class="num share">([\d.]+)%<\/td>/g)].map((m) => Number(m[1]));

    // Assess
    expect(shares.length).toBe(sampleModel.departments.filter((d) => d.rank !== null).length);
    expect(shares).toEqual([...shares].sort((a, b) => b - a));
    expect(table).not.toContain('综合得分');
  });
});
