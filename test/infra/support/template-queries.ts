import type { Template } from 'aws-cdk-lib/assertions';

export interface Statement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
  readonly Sid?: string;
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

function resources(template: Template): Resources {
  return (template.toJSON() as { Resources: Resources }).Resources;
}

/** Logical ids of the resources of one type whose id starts with `prefix` (the construct path). */
export function logicalIds(template: Template, type: string, prefix = ''): string[] {
  return Object.entries(resources(template))
    .filter(([id, r]) => r.Type === type && id.startsWith(prefix))
    .map(([id]) => id);
}

export function onlyLogicalId(template: Template, type: string, prefix: string): string {
  const ids = logicalIds(template, type, prefix);
  if (ids.length !== 1)
    throw new Error(`expected one ${type} under ${prefix}, found ${ids.join(', ') || 'none'}`);
  return ids[0] as string;
}

export function properties(template: Template, logicalId: string): Record<string, unknown> {
  const resource = resources(template)[logicalId];
  if (!resource) throw new Error(`no resource ${logicalId}`);
  return resource.Properties ?? {};
}

/** Every statement that applies to a role: its inline policies and the policies attached to it. */
export function roleStatements(template: Template, roleLogicalId: string): Statement[] {
  const all = resources(template);
  const statements: Statement[] = [];
  const inline = (all[roleLogicalId]?.Properties?.Policies ?? []) as {
    PolicyDocument: { Statement: Statement[] };
  }[];
  for (const policy of inline) statements.push(...policy.PolicyDocument.Statement);
  for (const resource of Object.values(all)) {
    if (resource.Type !== 'AWS::IAM::Policy') continue;
    const roles = (resource.Properties?.Roles ?? []) as { Ref?: string }[];
    if (!roles.some((r) => r.Ref === roleLogicalId)) continue;
    const doc = resource.Properties?.PolicyDocument as { Statement: Statement[] };
    statements.push(...doc.Statement);
  }
  return statements;
}

export function actionsOf(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

/** Resources of a statement as flat strings, so tests can match prefixes and bucket references. */
export function resourcesOf(statement: Statement): string[] {
  const list = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
  return list.map(flatten);
}

/** A CloudFormation value (Join, GetAtt, ImportValue, Ref) as one readable string. */
export function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v['Fn::Join'])) {
      const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
      return parts.map(flatten).join(sep);
    }
    if (Array.isArray(v['Fn::GetAtt'])) return `<${(v['Fn::GetAtt'] as string[]).join('.')}>`;
    if ('Fn::ImportValue' in v) return `<import:${flatten(v['Fn::ImportValue'])}>`;
    if ('Ref' in v) return `<${String(v.Ref)}>`;
  }
  return JSON.stringify(value);
}

/** The allowed (action, resource) pairs of a role, e.g. ["s3:PutObject", "<…Uploads….Arn>/incoming/fgw/*"]. */
export function allowedPairs(template: Template, roleLogicalId: string): [string, string][] {
  return roleStatements(template, roleLogicalId)
    .filter((s) => s.Effect === 'Allow')
    .flatMap((s) => actionsOf(s).flatMap((a) => resourcesOf(s).map((r): [string, string] => [a, r])));
}

/** How many resources of each type the template holds, types sorted. */
export function resourceInventory(template: Template): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of Object.values(resources(template))) counts[r.Type] = (counts[r.Type] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}
