import cliProgress from 'cli-progress';

/**
 * One progress bar per month on stderr while the demo works (stdout stays free for the
 * table or the --json document). Without a terminal, one line per finished month instead.
 */
export interface MonthProgress {
  /** A step finished; `label` says what happens next. */
  tick(label: string): void;
  done(summary: string): void;
}

export interface DemoProgress {
  month(period: string, steps: number): MonthProgress;
  stop(): void;
}

const FORMAT = ' {period} [{bar}] {value}/{total}  {label}';

export function createDemoProgress(stream: NodeJS.WriteStream = process.stderr): DemoProgress {
  if (!stream.isTTY) {
    return {
      month: (period) => ({
        tick: () => {},
        done: (summary) => stream.write(`${period}  ${summary}\n`),
      }),
      stop: () => {},
    };
  }
  const bars = new cliProgress.MultiBar(
    {
      format: FORMAT,
      stream,
      barsize: 24,
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      autopadding: true,
    },
    cliProgress.Presets.shades_classic,
  );
  return {
    month(period, steps) {
      const bar = bars.create(steps, 0, { period, label: '' });
      return {
        tick: (label) => bar.increment(1, { label }),
        done: (summary) => bar.update(steps, { label: summary }),
      };
    },
    stop: () => bars.stop(),
  };
}
