import { CfnResource, type PolicyValidationPluginReport, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, rules } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { ARCHIVE_BUCKET, UPLOADS_BUCKET } from '../../functions/shared/resources.ts';

/** One cdk-nag finding acknowledged on one construct (and its children), with why. */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

export interface ScopedWildcard {
  /** Matches the flattened resource of an `AwsSolutions-IAM5[Resource::…]` finding. */
  readonly resource: RegExp;
  readonly reason: string;
  /**
   * When set, the finding is acknowledged only if every statement of the policy that grants
   * this resource grants nothing but these actions (so `Resource::*` for X-Ray cannot cover
   * an `s3:*` added beside it).
   */
  readonly onlyActions?: RegExp;
}

const IAM5 = 'AwsSolutions-IAM5';

const declared = new WeakMap<IConstruct, readonly ScopedWildcard[]>();

/**
 * Declares the wildcards that IAM policies under `scope` use on purpose. cdk-nag v3
 * acknowledges findings one by one (`AwsSolutions-IAM5[Resource::<arn>/raw/*]`), and the
 * <arn> part is only known once cross-stack references have become imports, after
 * synthesis; so the acknowledgement itself is made by `DubanNagChecks` just before it
 * validates, on each policy resource, and only for findings matching a declared pattern.
 * A new wildcard (`s3:*`, `Resource::*`) still fails the gate.
 */
export function acknowledgeScopedWildcards(scope: IConstruct, wildcards: readonly ScopedWildcard[]): void {
  declared.set(scope, [...(declared.get(scope) ?? []), ...wildcards]);
}

function declaredFor(node: IConstruct): ScopedWildcard[] {
  return node.node.scopes.flatMap((s) => declared.get(s) ?? []);
}

/** Acknowledges the declared IAM5 findings on every IAM resource under `root`. */
export function applyScopedWildcardAcknowledgements(root: IConstruct): void {
  for (const node of root.node.findAll()) {
    if (!CfnResource.isCfnResource(node)) continue;
    if (!/^AWS::IAM::(Policy|Role)$/.test(node.cfnResourceType)) continue;
    const wildcards = declaredFor(node);
    if (wildcards.length === 0) continue;
    const findings = rules.iam.IAMNoWildcardPermissions(node);
    if (!Array.isArray(findings)) continue;
    for (const finding of findings) {
      if (!finding.startsWith('Resource::')) continue;
      const resource = finding.slice('Resource::'.length);
      const match = wildcards.find(
        (w) => w.resource.test(resource) && (!w.onlyActions || grantsOnly(node, resource, w.onlyActions)),
      );
      if (match) acknowledge(node, `${IAM5}[${finding}]`, match.reason);
    }
  }
}

interface ResolvedStatement {
  readonly Action?: string | string[];
  readonly Resource?: unknown;
}

/** Does every statement of the policy naming exactly `resource` grant only `actions`? */
function grantsOnly(node: CfnResource, resource: string, actions: RegExp): boolean {
  const props = Stack.of(node).resolve((node as unknown as { policyDocument?: unknown }).policyDocument) as
    | { Statement?: ResolvedStatement[] }
    | undefined;
  const list = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
  const naming = (props?.Statement ?? []).filter((st) => list(st.Resource).includes(resource));
  return naming.length > 0 && naming.every((st) => list(st.Action).every((a) => actions.test(String(a))));
}

/** The AwsSolutions pack, after duban's declared wildcard acknowledgements are applied. */
export class DubanNagChecks extends AwsSolutionsChecks {
  override validateScope(scope: IConstruct): PolicyValidationPluginReport {
    applyScopedWildcardAcknowledgements(scope);
    return super.validateScope(scope);
  }
}

/** Escapes a key prefix for use inside a RegExp. */
export function prefixPattern(prefix: string): string {
  return prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const objectPrefixes = [...Object.values(UPLOADS_BUCKET.prefixes), ...Object.values(ARCHIVE_BUCKET.prefixes)]
  .map(prefixPattern)
  .join('|');

/** The wildcards duban grants on purpose, each with the reason a reviewer needs. */
export const DUBAN_WILDCARDS = {
  /** `…/incoming/*`, `…/raw/*`, `…/incoming/<dept>/*`, `…/bulletins/*`. */
  prefixObjects: {
    resource: new RegExp(`/(?:${objectPrefixes})(?:[A-Za-z0-9-]+/)?\\*$`),
    reason:
      'Object access is limited to one declared key prefix of functions/shared/resources.ts; the * stands for the objects under it.',
  },
  tableIndexes: {
    resource: /\/index\/\*$/,
    reason: "Queries on the table's global secondary indexes (the same table, read through gsi1).",
  },
  wholeArchive: {
    resource: new RegExp(`${ARCHIVE_BUCKET.id}[0-9A-F]{8}\\.Arn>/\\*$`),
    reason: 'Auditors read every archived object (bulletins and manifests), read-only.',
  },
  traces: {
    resource: /^\*$/,
    onlyActions: /^xray:(PutTraceSegments|PutTelemetryRecords)$/,
    reason:
      'X-Ray takes trace segments on Resource * only: PutTraceSegments has no resource-level permissions.',
  },
  functionVersions: {
    resource: /\.Arn>:\*$/,
    reason: 'Versions and aliases of that one function, which the scheduler may invoke.',
  },
} as const satisfies Record<string, ScopedWildcard>;

/** Registers the gate on an app: `cdk synth` fails on any unacknowledged AwsSolutions error. */
export function addNagGate(app: IConstruct): DubanNagChecks {
  const checks = new DubanNagChecks(app, { verbose: true });
  Validations.of(app).addPlugins(checks);
  return checks;
}
