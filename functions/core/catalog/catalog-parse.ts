import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { InputRejectedError } from '../errors.ts';
import { unitFamily } from '../units.ts';
import { DEFAULT_SECTIONS, NOT_STARTED_TASK } from './catalog-constants.ts';
import {
  type Catalog,
  catalogSchema,
  type DeadlineIndicator,
  type Department,
  departmentSchema,
  type Indicator,
  indicatorSchema,
  type MilestoneIndicator,
  NOT_STARTED_STAGE,
  type NumericIndicator,
  type QualitativeIndicator,
} from './catalog-schema.ts';
import { targetsToFill } from './catalog-to-fill.ts';

/**
 * Validates a catalog (already decoded from YAML or JSON). Every problem is listed, one
 * line each, naming the file, the indicator (index and code) and the field, e.g.
 * `jiefang-2023.yaml: indicators[12] (ECO-GDP).kind: expected one of cumulative|…, got "sideways"`.
 */
export function parseCatalog(data: unknown, fileName: string): Catalog {
  const result = catalogSchema.safeParse(data);
  if (result.success) {
    const problems = crossCheck(indexed(result.data.departments), indexed(result.data.indicators), data);
    if (problems.length > 0) reject(fileName, problems);
    return result.data;
  }
  // Cross-check the entries that are valid on their own too, so one run lists every problem.
  const toFill = targetsToFill(data);
  const fieldProblems = result.error.issues
    .filter((issue) => !toFill.covers(issue.path))
    .map((issue) => `${describePath(data, issue.path)}: ${describeIssue(data, issue)}`);
  reject(fileName, [...toFill.problems, ...fieldProblems, ...crossCheck(...validEntries(data), data)]);
}

/** Parses YAML text, then validates it like parseCatalog. YAML syntax errors name line and column. */
export function parseCatalogYaml(text: string, fileName: string): Catalog {
  return parseCatalog(yamlData(text, fileName), fileName);
}

function yamlData(text: string, fileName: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    reject(
      fileName,
      doc.errors.map((e) => {
        const at = e.linePos?.[0];
        const where = at ? `line ${at.line}, column ${at.col}` : 'YAML';
        return `${where}: ${e.message.split('\n')[0] ?? e.code}`;
      }),
    );
  }
  return doc.toJS({ maxAliasCount: 100 });
}

function reject(fileName: string, problems: readonly string[]): never {
  const lines = problems.map((p) => `${fileName}: ${p}`);
  throw new InputRejectedError(
    `${fileName}: the catalog has ${lines.length} problem${lines.length === 1 ? '' : 's'}`,
    lines,
  );
}

type PathKey = PropertyKey;

function valueAt(data: unknown, path: readonly PathKey[]): unknown {
  let current: unknown = data;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key as string];
  }
  return current;
}

/** `indicators[12] (ECO-GDP).stages[0].plannedMonth`: the code or id makes a line findable. */
function describePath(data: unknown, path: readonly PathKey[]): string {
  let text = '';
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    if (typeof key === 'number') {
      text += `[${key}]`;
      const parent = path[i - 1];
      if (i === 1 && (parent === 'indicators' || parent === 'departments')) {
        const item = valueAt(data, path.slice(0, i + 1));
        const label = labelOf(item);
        if (label) text += ` (${label})`;
      }
    } else {
      text += `${text === '' ? '' : '.'}${String(key)}`;
    }
  }
  return text === '' ? '(top level)' : text;
}

function labelOf(item: unknown): string | undefined {
  if (item === null || typeof item !== 'object') return undefined;
  const record = item as Record<string, unknown>;
  for (const field of ['code', 'id', 'name']) {
    const v = record[field];
    if (typeof v === 'string' && v !== '') return v;
  }
  return undefined;
}

function shown(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  const json = JSON.stringify(value);
  if (json === undefined) return String(value);
  return json.length > 60 ? `${json.slice(0, 57)}…` : json;
}

function describeIssue(data: unknown, issue: z.core.$ZodIssue): string {
  const got = shown(valueAt(data, issue.path));
  switch (issue.code) {
    case 'invalid_value':
      return `expected one of ${issue.values.map(String).join('|')}, got ${got}`;
    case 'invalid_union': {
      const options = (issue as { options?: unknown[] }).options;
      if (Array.isArray(options)) return `expected one of ${options.map(String).join('|')}, got ${got}`;
      return `${issue.message}, got ${got}`;
    }
    case 'invalid_type':
      return `expected ${issue.expected}, got ${got}`;
    case 'invalid_format':
      return `expected ${issue.format === 'email' ? 'an email address' : `format ${issue.format}`}, got ${got}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.join(', ')}`;
    default:
      return `${issue.message.replace(/^Invalid input: /, '')}, got ${got}`;
  }
}

interface Indexed<T> {
  readonly index: number;
  readonly item: T;
}

function indexed<T>(items: readonly T[]): Indexed<T>[] {
  return items.map((item, index) => ({ index, item }));
}

function validEntries(data: unknown): [Indexed<Department>[], Indexed<Indicator>[]] {
  const list = (key: string): unknown[] => {
    const v = valueAt(data, [key]);
    return Array.isArray(v) ? v : [];
  };
  const departments: Indexed<Department>[] = [];
  list('departments').forEach((raw, index) => {
    const parsed = departmentSchema.safeParse(raw);
    if (parsed.success) departments.push({ index, item: parsed.data });
    else {
      // An invalid department (say, a bad email) still exists: its indicators are not "unknown".
      const id = valueAt(raw, ['id']);
      if (typeof id === 'string')
        departments.push({ index, item: { id, name: id, shortName: id, emails: [] } });
    }
  });
  const indicators: Indexed<Indicator>[] = [];
  list('indicators').forEach((raw, index) => {
    const parsed = indicatorSchema.safeParse(raw);
    if (parsed.success) indicators.push({ index, item: parsed.data });
  });
  return [departments, indicators];
}

/** Rules a field-by-field schema cannot see: references, uniqueness, order. */
function crossCheck(
  departments: readonly Indexed<Department>[],
  indicators: readonly Indexed<Indicator>[],
  data: unknown,
) {
  const problems: string[] = [];
  const deptIds = new Set<string>();
  for (const { index, item: d } of departments) {
    if (deptIds.has(d.id))
      problems.push(`departments[${index}] (${d.id}).id: duplicate department id "${d.id}"`);
    deptIds.add(d.id);
  }
  const declared = valueAt(data, ['sections']);
  const sections = Array.isArray(declared)
    ? declared.filter((s): s is string => typeof s === 'string')
    : [...DEFAULT_SECTIONS];
  sections.forEach((s, j) => {
    if (sections.indexOf(s) !== j) problems.push(`sections[${j}]: duplicate section heading "${s}"`);
  });
  const known = [...deptIds].join(', ');
  const codes = new Set<string>();
  for (const { index, item: ind } of indicators) {
    const at = `indicators[${index}] (${ind.code})`;
    if (codes.has(ind.code)) problems.push(`${at}.code: duplicate indicator code "${ind.code}"`);
    codes.add(ind.code);
    if (!deptIds.has(ind.dept))
      problems.push(`${at}.dept: unknown department "${ind.dept}" (known: ${known})`);
    ind.coDepts.forEach((c, j) => {
      if (!deptIds.has(c)) problems.push(`${at}.coDepts[${j}]: unknown department "${c}" (known: ${known})`);
      else if (c === ind.dept) problems.push(`${at}.coDepts[${j}]: "${c}" is already the lead department`);
    });
    if (!sections.includes(ind.section)) {
      problems.push(
        `${at}.section: expected one of the catalog's sections ${sections.join('|')}, got ${JSON.stringify(ind.section)}`,
      );
    }
    if (ind.targetBasis === 'derived' && !ind.arithmetic) {
      problems.push(
        `${at}.arithmetic: a derived target states how it was derived from the report, e.g. "104.5 ÷ 145.5% ≈ 71.82"`,
      );
    }
    problems.push(...checkKind(ind, at));
  }
  return problems;
}

function checkKind(ind: Indicator, at: string): string[] {
  switch (ind.kind) {
    case 'milestone':
      return checkMilestone(ind, at);
    case 'qualitative':
      return checkQualitative(ind, at);
    case 'deadline':
      return checkDeadline(ind, at);
    default:
      return checkNumeric(ind, at);
  }
}

function checkMilestone(ind: MilestoneIndicator, at: string): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  ind.stages.forEach((s, j) => {
    const previous = ind.stages[j - 1];
    if (previous && s.plannedMonth < previous.plannedMonth) {
      problems.push(
        `${at}.stages[${j}].plannedMonth: stages must be in planned order, but "${s.stage}" (month ${s.plannedMonth}) comes after "${previous.stage}" (month ${previous.plannedMonth})`,
      );
    }
    if (names.has(s.stage) || s.stage === NOT_STARTED_STAGE) {
      problems.push(`${at}.stages[${j}].stage: duplicate or reserved stage name "${s.stage}"`);
    }
    names.add(s.stage);
  });
  const reported = ind.reportedResult;
  if (reported !== undefined && !names.has(reported) && reported !== NOT_STARTED_STAGE) {
    problems.push(
      `${at}.reportedResult: expected one of ${[NOT_STARTED_STAGE, ...names].join('|')}, got ${JSON.stringify(reported)}`,
    );
  }
  return problems;
}

function checkQualitative(ind: QualitativeIndicator, at: string): string[] {
  const problems: string[] = [];
  ind.stages.forEach((s, j) => {
    if (ind.stages.indexOf(s) !== j || s === NOT_STARTED_TASK) {
      problems.push(`${at}.stages[${j}]: duplicate or reserved stage name "${s}"`);
    }
  });
  const reported = ind.reportedResult;
  if (reported !== undefined && !ind.stages.includes(reported) && reported !== NOT_STARTED_TASK) {
    problems.push(
      `${at}.reportedResult: expected one of ${[NOT_STARTED_TASK, ...ind.stages].join('|')}, got ${JSON.stringify(reported)}`,
    );
  }
  return problems;
}

function checkDeadline(ind: DeadlineIndicator, at: string): string[] {
  const family = unitFamily(ind.unit);
  if (!family) return [`${at}.unit: unknown unit ${JSON.stringify(ind.unit)}`];
  if (family === 'percent' || family === 'rank' || family === 'stage') {
    return [`${at}.unit: a deadline counts results (家, 个, 项 …), got ${JSON.stringify(ind.unit)}`];
  }
  return [];
}

function checkNumeric(ind: NumericIndicator, at: string) {
  const problems: string[] = [];
  const family = unitFamily(ind.unit);
  if (!family) problems.push(`${at}.unit: unknown unit ${JSON.stringify(ind.unit)}`);
  if (ind.kind === 'rate' && family !== 'percent') {
    problems.push(`${at}.unit: a rate or share is measured in %, got ${JSON.stringify(ind.unit)}`);
  }
  if (ind.kind === 'rate' && ind.profile) {
    const december = ind.profile[11];
    if (december !== ind.target) {
      problems.push(
        `${at}.profile[11]: a rate's December value is its target ${ind.target}, got ${String(december)}`,
      );
    }
  }
  if (ind.kind === 'rank') {
    if (family !== 'rank')
      problems.push(`${at}.unit: a rank is measured in 位, got ${JSON.stringify(ind.unit)}`);
    if (ind.direction !== 'lower') problems.push(`${at}.direction: a rank is lower-is-better, got "higher"`);
    if (!Number.isInteger(ind.target) || ind.target < 1) {
      problems.push(`${at}.target: a rank target is a position 1, 2, 3 …, got ${ind.target}`);
    }
  }
  if (ind.kind === 'stock' && family === 'percent') {
    problems.push(`${at}.kind: a percentage is a rate or share, not a stock (use kind: rate)`);
  }
  return problems;
}

// Lookups that need no parsing live apart, so runtime code (Lambda) does not pull in yaml and zod.
export {
  catalogContentHash,
  findDepartment,
  findIndicator,
  indicatorsForDept,
  isJudgedIn,
  sectionsOf,
} from './catalog-lookup.ts';
