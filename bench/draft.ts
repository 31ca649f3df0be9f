/**
 * bench:draft — how fast `duban catalog draft` turns a report into a draft, against a baseline
 * measured in the same run: one plain regular-expression pass that finds every number with a unit
 * in the same text (the least any extractor must do). Also: recall and precision on each labelled
 * report. Prints figures; asserts nothing.
 */
import { availableParallelism, loadavg } from 'node:os';
import { draftFromReport } from '../functions/core/catalog-draft/draft-from-report.ts';
import {
  draftLabelled,
  evaluate,
  LABELLED_REPORTS,
  loadLabelledReport,
  shippedKeywords,
} from '../test/support/draft-evaluation.ts';

const keywords = shippedKeywords();

/** A 20,000-character report: the seed and the labelled reports, repeated as one year's review. */
function bigReport(chars: number): string {
  const bodies = LABELLED_REPORTS.map((f) => loadLabelledReport(f).text.replace(/^.*工作回顾\n/m, ''));
  let text = '政府工作报告\n——2024年2月21日在区十五届人大四次会议上\n一、2023年工作回顾\n';
  for (let i = 0; text.length < chars; i++) text += `${bodies[i % bodies.length]}\n`;
  return text.slice(0, chars);
}

const BASELINE = /\d+(?:\.\d+)?(?:万|亿)?(?:元|人次|人|户|个|家|项|亩|吨|公里|%|件|条|座|所|天)/g;

/**
 * Wall time per run, and the process's CPU time per run: on a shared machine (other processes
 * on the cores) the wall time grows with the load while the CPU time stays near what one quiet
 * core would take, so both are printed with the load average.
 */
function timeIt(runs: number, fn: () => unknown): { p50: number; max: number; cpu: number } {
  const times: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpu0);
  times.sort((a, b) => a - b);
  return {
    p50: times[Math.floor(times.length / 2)] ?? 0,
    max: times[times.length - 1] ?? 0,
    cpu: (cpu.user + cpu.system) / 1000 / runs,
  };
}

const text = bigReport(20_000);
const bytes = new TextEncoder().encode(text);
const rssBefore = process.memoryUsage().rss;
const cold = timeIt(1, () => draftFromReport(bytes, { fileName: 'bench.txt', year: 2023, keywords }));
const warm = timeIt(20, () => draftFromReport(bytes, { fileName: 'bench.txt', year: 2023, keywords }));
const rssAfter = process.memoryUsage().rss;
const result = draftFromReport(bytes, { fileName: 'bench.txt', year: 2023, keywords });
let baselineHits = 0;
const baseline = timeIt(20, () => {
  baselineHits = [...text.matchAll(BASELINE)].length;
});

console.log(
  `bench:draft — ${text.length} characters (${bytes.length} bytes UTF-8), Node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${availableParallelism()} cores`,
);
console.log(
  `  draft (decode, sections, figures, tasks, departments, YAML): cold ${cold.p50.toFixed(1)} ms, warm p50 ${warm.p50.toFixed(1)} ms, max ${warm.max.toFixed(1)} ms; CPU per draft ${warm.cpu.toFixed(1)} ms; ${result.draft.indicators.length} indicators, YAML ${result.yaml.length} chars; RSS +${((rssAfter - rssBefore) / 2 ** 20).toFixed(1)} MB`,
);
console.log(
  `  baseline (one regex pass for numbers with units): p50 ${baseline.p50.toFixed(2)} ms, ${baselineHits} hits — the draft costs ${(warm.p50 / Math.max(baseline.p50, 0.001)).toFixed(0)}x the bare scan`,
);
console.log('  target: ≤ 1000 ms for 20,000 characters');
console.log('recall / precision on the labelled reports (test/fixtures/catalog-draft):');
for (const fixture of LABELLED_REPORTS) {
  const { report, draft } = draftLabelled(fixture, keywords);
  const e = evaluate(report, draft);
  const catalog = e.recallOf((l) => l.from === 'catalog' && l.value !== undefined);
  console.log(
    `  ${fixture.padEnd(28)} recall ${e.found}/${e.labels} = ${(e.recall * 100).toFixed(1)}%  precision ${e.kept}/${e.items} = ${(e.precision * 100).toFixed(1)}%` +
      (catalog.of > 0
        ? `  (hand-made catalog figures ${catalog.found}/${catalog.of} = ${(catalog.recall * 100).toFixed(1)}%)`
        : ''),
  );
  for (const fp of e.falsePositives) {
    const f = fp.finding;
    console.log(
      `      false positive: ${f.name || '(no name)'} ${f.value ?? ''}${f.unit ?? ''} ${f.stage ?? ''} @${f.offset}`,
    );
  }
  for (const m of e.missed)
    console.log(`      missed: ${m.value ?? ''}${m.unit ?? ''}${m.task ?? ''} in “${m.at}”`);
}
