// A big dataset's parallel load started before the command loads (src/sources/dataset/pool.ts):
// the entry calls this first, on the raw arguments, so the workers boot and check while the
// command's code loads. It only guesses: commander still parses the arguments, and the command's
// own load takes the early one only when it is the same; a wrong guess costs work thrown away.
import { isJsonLines, startEarly } from '../sources/dataset/pool.js';

/** The JSON Lines dataset a command line names first: a `--source FILE`, or `dataset index FILE` (index). */
export function earlyDataset(argv: readonly string[]): { file: string; index: boolean } | undefined {
  if (argv[0] === 'dataset' && argv[1] === 'index') {
    for (let i = 2; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === '--out') i++;
      else if (!a.startsWith('-')) return isJsonLines(a) ? { file: a, index: true } : undefined;
    }
    return undefined;
  }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    const file = a === '--source' ? argv[++i] : a.startsWith('--source=') ? a.slice(9) : undefined;
    if (file !== undefined) return isJsonLines(file) ? { file, index: false } : undefined;
  }
  return undefined;
}

/** Start the parallel load of the command line's dataset (when it would be loaded in parallel). */
export function startDatasetLoadEarly(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  const named = earlyDataset(argv);
  return named !== undefined && startEarly(named.file, env, named.index);
}
