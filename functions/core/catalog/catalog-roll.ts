import type { Catalog, Indicator } from './catalog-schema.ts';

/**
 * Next year's draft catalog from this year's (`duban catalog roll`). A work report is new
 * every year, but most of what a district tracks carries over: this year's results become
 * next year's baselines, the targets wait for the new report (kept as placeholders marked
 * 假设 and `targetToFill`, so `catalog check` names every one still to fill), finished
 * projects, honours and tasks drop out, unfinished ones carry over with what is left to do.
 * Pure: reading and writing the files is the CLI's.
 */

export interface RolledCatalog {
  readonly catalog: Catalog;
  /** Codes carried over with a target still to fill. */
  readonly pending: readonly string[];
  /** Codes left out because they were finished this year. */
  readonly finished: readonly string[];
}

/** Title and source of the draft: this year's with the year moved on, marked as a draft. */
function nextTitle(title: string, from: number, to: number): string {
  return title.includes(String(from)) ? title.replaceAll(String(from), String(to)) : `${to}年${title}`;
}

function rolledNote(indicator: Indicator, from: number, extra = ''): string {
  const result =
    indicator.reportedResult === undefined
      ? `${from}年报告未给出完成情况`
      : `${from}年完成${String(indicator.reportedResult)}${extra}`;
  return `由${from}年目录滚动生成（${result}）；年度目标待依据新报告填写，source 待换为新报告原句。`;
}

/** One indicator of next year, or undefined when it was finished this year. */
function rollIndicator(indicator: Indicator, from: number): Indicator | undefined {
  const { reportedResult: _result, arithmetic: _arithmetic, ...rest } = indicator;
  const common = { targetBasis: 'assumed' as const, targetToFill: true as const };
  switch (indicator.kind) {
    case 'cumulative': {
      const baseline = indicator.reportedResult;
      return {
        ...(rest as typeof indicator),
        ...common,
        ...(baseline === undefined ? {} : { baseline }),
        // The same amount again until the report says otherwise.
        target: baseline ?? indicator.target,
        note: rolledNote(indicator, from),
      };
    }
    case 'stock': {
      const baseline = indicator.reportedResult ?? indicator.target;
      // Target = baseline: a floor to hold until the report states the increment.
      return {
        ...(rest as typeof indicator),
        ...common,
        baseline,
        target: baseline,
        note: rolledNote(indicator, from),
      };
    }
    case 'rate':
    case 'rank': {
      const baseline = indicator.reportedResult;
      return {
        ...(rest as typeof indicator),
        ...common,
        ...(baseline === undefined ? {} : { baseline }),
        target: indicator.target,
        note: rolledNote(indicator, from),
      };
    }
    case 'deadline': {
      if ((indicator.reportedResult ?? 0) >= indicator.target) return undefined;
      const left = indicator.target - (indicator.reportedResult ?? 0);
      return {
        ...(rest as typeof indicator),
        ...common,
        target: left,
        note: rolledNote(indicator, from, `，尚差${left}${indicator.unit}`),
      };
    }
    case 'qualitative': {
      const last = indicator.stages.at(-1);
      if (indicator.reportedResult === last) return undefined;
      const reached =
        indicator.reportedResult === undefined ? -1 : indicator.stages.indexOf(indicator.reportedResult);
      return {
        ...(rest as typeof indicator),
        ...common,
        stages: indicator.stages.slice(reached + 1),
        note: rolledNote(indicator, from),
      };
    }
    case 'milestone': {
      const last = indicator.stages.at(-1)?.stage;
      if (indicator.reportedResult === last) return undefined;
      const reached =
        indicator.reportedResult === undefined
          ? -1
          : indicator.stages.findIndex((s) => s.stage === indicator.reportedResult);
      return {
        ...(rest as typeof indicator),
        ...common,
        // What is left to do; its months are this year's plan until the office plans next year.
        stages: indicator.stages.slice(reached + 1),
        note: rolledNote(indicator, from),
      };
    }
  }
}

export function rollCatalog(catalog: Catalog, year: number): RolledCatalog {
  const from = catalog.year;
  const indicators: Indicator[] = [];
  const finished: string[] = [];
  for (const indicator of catalog.indicators) {
    const next = rollIndicator(indicator, from);
    if (next) indicators.push(next);
    else finished.push(indicator.code);
  }
  return {
    catalog: {
      ...catalog,
      year,
      title: nextTitle(catalog.title, from, year),
      sourceDocument: `${year}年政府工作报告（草稿：由${from}年目录滚动生成，待依据新报告修订）`,
      indicators,
    },
    pending: indicators.filter((i) => i.targetToFill === true).map((i) => i.code),
    finished,
  };
}

/** Indicators whose target is still a placeholder: what `catalog check` lists as to fill. */
export function targetsToFill(catalog: Catalog): Indicator[] {
  return catalog.indicators.filter((i) => i.targetToFill === true);
}
