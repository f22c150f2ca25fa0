import { log, UserError } from './args.ts';
import { formatIssue } from '../engine/data/import.ts';
import type { EventStream } from '../engine/data/eventStream.ts';
import { chronologicalSplit } from '../engine/data/split.ts';
import { checkTrainable } from '../engine/data/trainable.ts';

/**
 * The page's check of a stream's times (engine/data/trainable.ts) for the commands that train or
 * evaluate: warnings on stderr, errors as a bad-input exit (2) before any model is built.
 */
export function requireTrainable(path: string, stream: EventStream): void {
  if (stream.numEvents < 10) throw new UserError(`${path} has ${stream.numEvents} event${stream.numEvents === 1 ? '' : 's'}; training needs at least 10`);
  const { errors, warnings } = checkTrainable(stream, chronologicalSplit(stream));
  for (const w of warnings) log(`times: ${formatIssue(w)}`);
  if (errors.length > 0) throw new UserError(`${path}: ${errors.map((e) => e.message).join('; ')}`);
}
