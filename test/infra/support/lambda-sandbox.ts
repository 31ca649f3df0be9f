import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Synthesized } from './synth-app.ts';
import { onlyLogicalId, properties } from './template-queries.ts';

/**
 * A function's deployable artifact, run the way Lambda runs it: its asset folder alone in a
 * fresh Node process, with only what the runtime provides beside it (the AWS SDK v3) and, for
 * a function with layers, the layers' nodejs/node_modules, and with the environment variables
 * the template gives it. Nothing of the project's own node_modules or sources is reachable.
 */

const PROJECT_MODULES = resolve(import.meta.dirname, '..', '..', '..', 'node_modules');
/** Where Lambda unpacks a function's code; the template's paths point there. */
const TASK_ROOT = '/var/task';

export interface StagedFunction {
  readonly logicalId: string;
  /** The copy of the asset folder the process runs from (stands for /var/task). */
  readonly dir: string;
  /** The variables the template sets, unresolved references left as they are. */
  readonly templateEnvironment: Readonly<Record<string, unknown>>;
  readonly timeoutSeconds: number;
}

export function assetDir(synth: Synthesized, logicalId: string): string {
  const props = properties(synth.stateless, logicalId);
  const code = (props.Code ?? props.Content) as { S3Key: string };
  return join(synth.assembly.directory, `asset.${code.S3Key.replace(/\.zip$/, '')}`);
}

function link(nodeModules: string, name: string, target: string): void {
  const at = join(nodeModules, name);
  mkdirSync(dirname(at), { recursive: true });
  symlinkSync(target, at);
}

/** Copies the function's asset folder and links the runtime's SDK and its layers' packages beside it. */
export function stageFunction(synth: Synthesized, prefix: string): StagedFunction {
  const logicalId = onlyLogicalId(synth.stateless, 'AWS::Lambda::Function', prefix);
  const props = properties(synth.stateless, logicalId);
  const dir = mkdtempSync(join(tmpdir(), 'duban-task-'));
  cpSync(assetDir(synth, logicalId), dir, { recursive: true });
  const nodeModules = join(dir, 'node_modules');
  link(nodeModules, '@aws-sdk', join(PROJECT_MODULES, '@aws-sdk'));
  for (const layer of (props.Layers ?? []) as { Ref: string }[]) {
    const layerModules = join(assetDir(synth, layer.Ref), 'nodejs', 'node_modules');
    for (const entry of readdirSync(layerModules)) {
      if (!entry.startsWith('.')) link(nodeModules, entry, join(layerModules, entry));
    }
  }
  return {
    logicalId,
    dir,
    templateEnvironment: (props.Environment as { Variables: Record<string, unknown> }).Variables,
    timeoutSeconds: Number(props.Timeout ?? 3),
  };
}

/**
 * The process environment: the template's variables, with the references CloudFormation would
 * resolve (table and bucket names) replaced by `resolved`, paths under /var/task moved to the
 * staged folder, and `local` (endpoints, region, credentials) added. A reference left
 * unresolved fails here, so a variable added to the template is noticed.
 */
export function functionEnvironment(
  fn: StagedFunction,
  resolved: Readonly<Record<string, string>>,
  local: Readonly<Record<string, string>>,
): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', TMPDIR: tmpdir() };
  for (const [name, value] of Object.entries(fn.templateEnvironment)) {
    if (typeof value === 'string')
      env[name] = value.startsWith(TASK_ROOT) ? fn.dir + value.slice(TASK_ROOT.length) : value;
    else if (resolved[name] !== undefined) env[name] = resolved[name];
    else throw new Error(`${fn.logicalId}: no value for ${name} (${JSON.stringify(value)})`);
  }
  return { ...env, ...local };
}

export interface Invocation {
  readonly exitCode: number | null;
  /** What the handler returned, or the error it threw. */
  readonly result?: unknown;
  readonly error?: { readonly name: string; readonly message: string };
  /** Embedded-metric-format records the function printed. */
  readonly metrics: readonly Record<string, unknown>[];
  /** Structured log records the function printed (stdout and stderr). */
  readonly logs: readonly Record<string, unknown>[];
  readonly stderr: string;
}

const RESULT = '@@duban-result@@';

/** The Lambda runtime's part: import the handler, call it with the event and a context, report. */
function harness(fn: StagedFunction): string {
  return `
const { handler } = await import(${JSON.stringify(pathToFileURL(join(fn.dir, 'index.mjs')).href)});
const deadline = Date.now() + ${fn.timeoutSeconds * 1000};
const context = {
  awsRequestId: 'artifact-' + process.pid,
  functionName: ${JSON.stringify(fn.logicalId)},
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:cn-north-1:123456789012:function:${fn.logicalId}',
  memoryLimitInMB: '1024',
  getRemainingTimeInMillis: () => deadline - Date.now(),
};
try {
  const result = await handler(JSON.parse(process.env.ARTIFACT_EVENT), context);
  process.stdout.write('\\n${RESULT}' + JSON.stringify({ result }) + '\\n');
} catch (error) {
  process.stdout.write('\\n${RESULT}' + JSON.stringify({ error: { name: error.name, message: error.message } }) + '\\n');
  process.exitCode = 1;
}`;
}

function records(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}

/** Runs the handler in its own process (asynchronously: the stand-ins live in this one). */
export function invoke(fn: StagedFunction, env: Record<string, string>, event: unknown): Promise<Invocation> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', harness(fn)], {
      cwd: fn.dir,
      env: { ...env, ARTIFACT_EVENT: JSON.stringify(event) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', fail);
    child.on('close', (exitCode) => {
      const marker = stdout.split('\n').find((line) => line.startsWith(RESULT));
      const reported = marker ? (JSON.parse(marker.slice(RESULT.length)) as Partial<Invocation>) : {};
      const all = [...records(stdout), ...records(stderr)];
      done({
        exitCode,
        ...reported,
        metrics: all.filter((r) => '_aws' in r),
        logs: all.filter((r) => !('_aws' in r)),
        stderr,
      });
    });
  });
}
