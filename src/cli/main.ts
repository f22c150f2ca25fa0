import { parseArgs, UserError } from './args.ts';

const USAGE = `usage: tgnn <command> [flags]
commands:
  stats --data PATH [--columns src,dst,t,...] [--json]
  train --data PATH [--model tgn|jodie|dyrep|apan|tgat|tgn-static|edgebank] [--batch-size 200] [--epochs 1] [--seed 1] [--backend cpu|wasm] [--json]
        [--setting transductive|inductive] [--negatives random|historical|inductive] [--patience P] [--seeds 0,1,2]
        [--metric ap|mrr --negatives-per-positive K] [--lr 1e-4] [--memory-dim 100] [--time-dim 100] [--embedding-dim 100]
        [--neighbours 10] [--mailbox-size K] [--neighbour-scope earlier-batches|before-event] [--neighbour-time last-update|query]
        [--layers 1|2] [--edgebank-memory unlimited|window] [--save-checkpoint DIR]
  staleness --data PATH [--batch-sizes 1,50,200,600,2000,6000] [--mailbox-size 1] [--range all|train] [--json]
  sweep --data PATH [--batch-sizes 50,200,600,2000] [--eval-batch-sizes B1,B2] [--seed 1] [--backend wasm|cpu]
        [--mailbox-size K --aggregator last|mean|attention] [--static-memory] [--eval-batch-size B] [--exact]
        [--drift-events 2000] [--json]
  export --data PATH [import flags, --input-format auto|plain|jodie|dyglib] --format dyglib|tgl --out DIR [--name NAME] [--model tgn|jodie|dyrep|apan|tgat|tgn-static]
        [--batch-size 200] [--lr 1e-4] [--epochs 10] [--node-feature-dim 172] [--json]
        (DyGLib: ml_NAME.csv/.npy/_node.npy; TGL: edges.csv, edge_features.npy, <MODEL>.yml, disttgl.yml)
  eval --checkpoint DIR --data PATH [--backend wasm|cpu] [--json]
        (DIR: a folder from train ... --save-checkpoint DIR, or model.json + model.weights.bin downloaded from the app)`;

/** Runs one CLI command; returns the process exit code (2 = bad input). */
export async function main(argv: readonly string[]): Promise<number> {
  try {
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
      case 'export': {
        const { runExport } = await import('./export.ts');
        return await runExport(args);
      }
      case undefined:
      case 'help':
        process.stderr.write(USAGE + '\n');
        return args.command === 'help' ? 0 : 2;
      default:
        throw new UserError(`unknown command '${args.command}'; try 'tgnn help'`);
    }
  } catch (e) {
    if (e instanceof UserError || (e instanceof Error && e.name === 'ImportError')) {
      process.stderr.write(`tgnn: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
