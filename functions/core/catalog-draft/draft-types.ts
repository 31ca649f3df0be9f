import type { IndicatorKind } from '../catalog/catalog-constants.ts';

/** What the draft finds in a report, before it becomes catalog YAML. */

/** The kind the draft proposes: the catalog's own vocabulary (stock, deadline, qualitative …). */
export type ProposedKind = IndicatorKind;

export type FindingRole = 'result' | 'target';

export interface DerivedTarget {
  readonly value: number;
  /** The arithmetic a reviewer can check, e.g. 104.5 ÷ 145.5% = 71.82. */
  readonly arithmetic: string;
}

export interface Finding {
  readonly proposedKind: ProposedKind;
  readonly name: string;
  /** Numeric findings: the figure in `unit`. Tasks have none. */
  readonly value?: number;
  readonly unit?: string;
  /** 突破, 超过, 近, 约, 余, 以上, 左右, 前 … as written before or after the figure. */
  readonly qualifier?: string;
  /** Tasks: the stage or result the report names (开工建设, 建成通车, 获评 …). */
  readonly stage?: string;
  readonly direction: 'higher' | 'lower';
  /** A result reported for the year, or a target the report sets for it. */
  readonly role: FindingRole;
  readonly derivedTarget?: DerivedTarget;
  /** Named items behind a count (猫岔、老丁沟) or a task (金桂茗苑). */
  readonly items?: readonly string[];
  /** The sentence as the report writes it, and its offset in the report (characters). */
  readonly sentence: string;
  readonly sentenceOffset: number;
  /** Offset of the figure (or of the task's name) in the report. */
  readonly offset: number;
  readonly section?: string;
  /** 0–1: how sure the rules are that a reviewer keeps this item as it stands. */
  readonly confidence: number;
  /** Why the draft is unsure; each becomes a comment in the YAML. */
  readonly doubts: readonly string[];
}
