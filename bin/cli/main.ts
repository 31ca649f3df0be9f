import { Command, CommanderError, Help, Option } from 'commander';
import pkg from '../../package.json' with { type: 'json' };
import { printFailure } from './run-command.ts';

/**
 * Command groups, one module each (`register(program)`), all registered at start-up so that
 * `--help` lists every command. Chromium is imported only inside the bulletin run, and the
 * ingest handler only on the first upload event.
 */
const COMMAND_MODULES = [
  './commands/local.ts',
  './commands/catalog.ts',
  './commands/template.ts',
  './commands/ingest.ts',
  './commands/audit.ts',
  './commands/bulletin.ts',
  './commands/archive.ts',
  './commands/demo.ts',
  './commands/serve.ts',
  './commands/users.ts',
  './commands/calendar.ts',
  './commands/status.ts',
  './commands/remind.ts',
] as const;

interface CommandModule {
  register(program: Command): void;
}

/**
 * `--version` is read as the first argument only: global options are recognised anywhere on
 * the line, and `archive get <period> --version <n>` keeps its own meaning.
 */
const VERSION_FLAGS: ReadonlySet<string> = new Set(['--version', '-V']);
const VERSION_OPTION = new Option('-V, --version', "print duban's version");

/**
 * A command with subcommands (the program, `archive`, `catalog` …) given none prints its
 * help on stdout and exits 0, as `--help` does; an unknown subcommand stays a usage error.
 */
function helpWhenBare(command: Command): void {
  command
    .helpCommand(command.parent === null)
    .allowExcessArguments()
    .action((_opts: unknown, self: Command) => {
      const [unknown] = self.args;
      if (unknown !== undefined) {
        self.error(`error: unknown command '${unknown}'`, { code: 'commander.unknownCommand', exitCode: 2 });
      }
      self.help();
    });
}

export async function buildProgram(): Promise<Command> {
  const program = new Command('duban')
    .description('督办: track the targets of a government work report month by month')
    .option('--data <dir>', 'embedded store directory (local DynamoDB and S3)', '.duban')
    .option('--json', 'print one JSON document on stdout (progress and logs go to stderr)', false)
    .option(
      '--aws',
      'use the deployed stack (DUBAN_TABLE, DUBAN_UPLOADS_BUCKET, DUBAN_ARCHIVE_BUCKET, AWS_REGION) instead of the local stand-ins',
      false,
    )
    // Subcommands inherit this: their help lists --data, --json and --aws too.
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError()
    .exitOverride();
  const modules = await Promise.all(COMMAND_MODULES.map((path) => import(path) as Promise<CommandModule>));
  for (const mod of modules) mod.register(program);
  // Every subcommand exits through main() rather than process.exit.
  for (const sub of program.commands) {
    sub.exitOverride();
    if (sub.commands.length > 0) helpWhenBare(sub);
  }
  helpWhenBare(program);
  // The program's own help (only) lists --version, which main() answers before parsing.
  program.configureHelp({
    showGlobalOptions: true,
    visibleOptions(this: Help, cmd: Command) {
      const [help, ...rest] = Help.prototype.visibleOptions.call(this, cmd).reverse();
      return [...rest.reverse(), VERSION_OPTION, ...(help ? [help] : [])];
    },
  });
  return program;
}

/**
 * The handlers run inside the CLI (ingest from the local upload events, the demo's bulletin
 * runs): their embedded-metric lines have no CloudWatch to go to, and stdout belongs to the
 * command's own output, so metrics are off and only warnings and errors are logged (stderr).
 */
function quietHandlers(env: NodeJS.ProcessEnv = process.env): void {
  env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
}

/** Runs the CLI; returns the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  if (VERSION_FLAGS.has(argv[2] ?? '')) {
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  quietHandlers();
  let program: Command;
  try {
    program = await buildProgram();
  } catch (error) {
    return printFailure(error, argv.includes('--json'));
  }
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version are not failures; everything else commander rejects is usage.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      return error.exitCode === 0 ? 0 : 2;
    }
    return printFailure(error, argv.includes('--json'));
  }
}
