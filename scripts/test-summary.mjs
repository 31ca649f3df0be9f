// Prints vitest's JSON report for CI logs: each project's files, tests and duration (from its
// first test file starting to its last one ending; projects overlap, as vitest runs them side
// by side), the whole run's wall time, then one plain line, "N passed, N failed".
import { readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';

const file = process.argv[2] ?? '.vitest-report.json';
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.error(`test-summary: cannot read ${file}: ${error.message}`);
  process.exit(1);
}

// A test file's project is the folder under test/ it lives in (vitest.config.ts says so too).
const projects = new Map();
for (const result of report.testResults ?? []) {
  const parts = relative(process.cwd(), result.name).split(sep);
  const name = parts[0] === 'test' && parts[1] ? parts[1] : 'other';
  const p = projects.get(name) ?? { files: 0, tests: 0, failed: 0, start: Infinity, end: 0 };
  p.files += 1;
  p.tests += result.assertionResults.length;
  p.failed += result.assertionResults.filter((a) => a.status === 'failed').length;
  p.start = Math.min(p.start, result.startTime);
  p.end = Math.max(p.end, result.endTime);
  projects.set(name, p);
}
const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
for (const [name, p] of [...projects].sort(([, a], [, b]) => a.start - b.start)) {
  console.log(
    `${name.padEnd(12)} ${String(p.files).padStart(3)} files ${String(p.tests).padStart(4)} tests` +
      `${p.failed ? ` (${p.failed} failed)` : ''}  ${s(p.end - p.start)}`,
  );
}
const ends = [...projects.values()].map((p) => p.end);
if (report.startTime && ends.length > 0)
  console.log(`${'all'.padEnd(12)} wall time ${s(Math.max(...ends) - report.startTime)}`);
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(
  `${report.numPassedTests} passed, ${report.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`,
);
process.exit(report.numTotalTests > 0 ? 0 : 1);
