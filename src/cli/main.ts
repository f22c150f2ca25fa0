import { OutputClosed, parseArgs, UserError } from './args.ts';
import { commandHelp, fullHelp, isCommand } from './commands.ts';

/**
 * Runs one CLI command; returns the process exit code: 0 done, 2 bad input (one line on stderr); an
 * internal error is thrown, and bin/tgnn.mjs exits 1 with a short message.
 */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    // help: `tgnn help [CMD]`, `tgnn [CMD] --help` / `-h` print the usage on stdout and exit 0
    const helpAsked = argv.some((a) => a === '--help' || a === '-h');
    if (argv[0] === 'help' || helpAsked) {
      const first = argv[0] === 'help' ? argv[1] : argv[0];
      const named = first !== undefined && !first.startsWith('-') ? first : undefined;
      if (named !== undefined && !isCommand(named)) throw new UserError(`unknown command '${named}'; try 'tgnn help'`);
      process.stdout.write(named !== undefined ? commandHelp(named) : fullHelp());
      return 0;
    }
    const args = parseArgs(argv);
    switch (args.command) {
      case 'stats': {
        const { runStats } = await import('./stats.ts');
        return await runStats(args);
      }
      case 'train': {
        const { runTrain } = await import('./train.ts');
        return await runTrain(args);
      }
      case 'staleness': {
        const { runStaleness } = await import('./lab.ts');
        return await runStaleness(args);
      }
      case 'sweep': {
        const { runSweep } = await import('./lab.ts');
        return await runSweep(args);
      }
      case 'eval': {
        const { runEval } = await import('./eval.ts');
        return await runEval(args);
      }
      case 'serve': {
        const { runServe } = await import('./serve.ts');
        return await runServe(args);
      }
      case 'serve-sweep': {
        const { runServeSweep } = await import('./serve.ts');
        return await runServeSweep(args);
      }
      case 'export': {
        const { runExport } = await import('./export.ts');
        return await runExport(args);
      }
      case undefined:
        // no command is bad input: the usage goes to stderr with exit 2
        process.stderr.write(`tgnn: no command given\n${fullHelp()}`);
        return 2;
      default:
        throw new UserError(`unknown command '${args.command}'; try 'tgnn help'`);
    }
  } catch (e) {
    // the reader went away (`| head`): nothing more to say, and nobody to say it to
    if (e instanceof OutputClosed) return 0;
    if (e instanceof UserError || (e instanceof Error && e.name === 'ImportError')) {
      process.stderr.write(`tgnn: ${e.message}\n`);
      return 2;
    }
    const oom = outOfMemory(e);
    if (oom) {
      process.stderr.write(`tgnn: ${oom}\n`);
      return 2;
    }
    throw e;
  }
}

/**
 * Output to a reader that has gone (`tgnn train --json | head -c 20`: head exits, the pipe closes): the
 * reader wants no more, so the CLI stops at once and quietly, exit 0, instead of an unhandled EPIPE
 * (a Node stack trace, or kilobytes of minified tfjs when the wasm backend is loaded). Any other write
 * error is an internal error (exit 1). bin/tgnn.mjs installs this on stdout and stderr.
 */
export function exitQuietlyOnClosedPipe(streams: readonly NodeJS.EventEmitter[], exit: (code: number) => void): void {
  for (const stream of streams) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') {
        exit(0);
        return;
      }
      if (stream !== process.stderr) process.stderr.write(`tgnn: internal error: cannot write the output: ${e.message}\n`);
      exit(1);
    });
  }
}

/**
 * The sentence for an error that means the backend ran out of memory (the wasm heap has at most 4 GB:
 * "memory access out of bounds", "Aborted()", failed allocations), null for any other error. Settings
 * that are each allowed can still multiply past it (queries per batch × neighbours (squared with two
 * layers) × width), so this is said as a fix of the settings, not as an internal error.
 */
export function outOfMemory(e: unknown): string | null {
  const message = e instanceof Error ? e.message : String(e);
  if (!/memory access out of bounds|^Aborted\(|out of memory|Array buffer allocation failed|could not allocate memory|Cannot enlarge memory/i.test(message)) return null;
  return `out of memory: these settings need more memory than the backend can have (${message.slice(0, 80)}); ` +
    'lower --batch-size, --neighbours or the dimensions, or use --layers 1 and --neighbour-scope earlier-batches';
}
