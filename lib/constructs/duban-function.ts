import { join } from 'node:path';
import { RemovalPolicy } from 'aws-cdk-lib';
import { type IGrantable, type IPrincipal, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import {
  type BundlingOptions,
  NodejsFunction,
  type NodejsFunctionProps,
  OutputFormat,
  SourceMapMode,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ENV } from '../../functions/shared/resources.ts';
import { acknowledge, acknowledgeScopedWildcards, DUBAN_WILDCARDS } from './nag-acknowledgements.ts';

/** The runtime every duban function runs on; matches the `node@22` used locally. */
export const FUNCTION_RUNTIME = Runtime.NODEJS_22_X;

// Esbuild's ESM output has no `require`, yet bundled CommonJS dependencies (exceljs,
// ws, …) call it for Node built-ins. A global rather than a top-level `const require`,
// which would collide with a bundled module that declares its own `require`.
const ESM_REQUIRE_BANNER =
  "import { createRequire as __dubanCreateRequire } from 'node:module';" +
  'globalThis.require ??= __dubanCreateRequire(import.meta.url);';

/** Where Lambda unpacks the function's code. */
const LAMBDA_TASK_ROOT = '/var/task';

/**
 * For a function that reads templates/ (eta views, CSS, catalogs) from disk: the bundle is
 * one index.mjs, so templates/ is copied next to it and named in DUBAN_TEMPLATES_DIR.
 */
export function withTemplates(projectRoot: string): {
  environment: Record<string, string>;
  bundling: BundlingOptions;
} {
  return {
    environment: { [ENV.templatesDir]: `${LAMBDA_TASK_ROOT}/templates` },
    bundling: {
      commandHooks: {
        beforeBundling: () => [],
        beforeInstall: () => [],
        afterBundling: (_input: string, outputDir: string) => [
          `cp -r "${join(projectRoot, 'templates')}" "${join(outputDir, 'templates')}"`,
        ],
      },
    },
  };
}

/** The SDK v3 ships with the nodejs22.x runtime; bundling it would only add weight. */
const ALWAYS_EXTERNAL = ['@aws-sdk/*'];

export interface DubanFunctionProps
  extends Omit<NodejsFunctionProps, 'runtime' | 'logGroup' | 'logRetention' | 'role' | 'architecture'> {
  readonly entry: string;
  readonly logRetention: RetentionDays;
  /** A fixed name for the execution role, for a policy elsewhere that must name it. */
  readonly roleName?: string;
}

/**
 * A NodejsFunction with duban's fixed choices: nodejs22.x on x86_64 (the only
 * architecture @sparticuz/chromium ships in its main package), ESM, minified with
 * source maps, active X-Ray tracing, an explicit log group with retention, and a role that
 * can write to that log group (and its traces) and nothing else until a caller grants more.
 *
 * Callers' `environment` and `bundling` are merged into the defaults, never replaced
 * by them, and never replace them (external modules are a union).
 */
export class DubanFunction extends Construct implements IGrantable {
  readonly fn: NodejsFunction;
  readonly logGroup: LogGroup;
  readonly role: Role;
  readonly grantPrincipal: IPrincipal;

  constructor(scope: Construct, id: string, props: DubanFunctionProps) {
    super(scope, id);
    const { logRetention, environment, bundling, roleName, ...rest } = props;

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: logRetention,
      // Logs are evidence of what was ingested and published; keep them past a stack delete.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // A hand-made role instead of AWSLambdaBasicExecutionRole: that managed policy
    // lets the function write to every log group in the account.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${this.node.path}`,
      ...(roleName ? { roleName } : {}),
    });
    this.logGroup.grantWrite(this.role);

    this.fn = new NodejsFunction(this, 'Function', {
      ...rest,
      runtime: FUNCTION_RUNTIME,
      architecture: Architecture.X86_64,
      handler: props.handler ?? 'handler',
      logGroup: this.logGroup,
      role: this.role,
      // X-Ray traces of every invocation (cold start, duration, the SDK calls' time in total),
      // without an SDK instrumented in the bundle.
      tracing: Tracing.ACTIVE,
      environment: mergeEnvironment(environment),
      bundling: mergeBundling(bundling),
    });
    this.grantPrincipal = this.fn.grantPrincipal;
    acknowledgeScopedWildcards(this, [DUBAN_WILDCARDS.traces]);
    acknowledge(
      this.fn,
      'AwsSolutions-L1',
      'Pinned to nodejs22.x on purpose: the code is developed and tested on Node 22 (devDependency node@22); moving runtime is a tested change, not a drift.',
    );
  }

  addEnvironment(name: string, value: string): this {
    this.fn.addEnvironment(name, value);
    return this;
  }
}

/** Defaults first, so a caller may override NODE_OPTIONS but never loses its own keys. */
export function mergeEnvironment(environment: Record<string, string> | undefined): Record<string, string> {
  return { NODE_OPTIONS: '--enable-source-maps', ...environment };
}

export function mergeBundling(bundling: BundlingOptions | undefined): BundlingOptions {
  const externals = new Set([...ALWAYS_EXTERNAL, ...(bundling?.externalModules ?? [])]);
  const banner = [ESM_REQUIRE_BANNER, bundling?.banner].filter(Boolean).join('\n');
  return {
    format: OutputFormat.ESM,
    target: 'node22',
    mainFields: ['module', 'main'],
    minify: true,
    sourceMap: true,
    sourceMapMode: SourceMapMode.DEFAULT,
    sourcesContent: false,
    metafile: false,
    ...bundling,
    banner,
    externalModules: [...externals],
  };
}
