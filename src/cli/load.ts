import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { boolFlag, requiredString, stringFlag, UserError, type ParsedArgs } from './args.ts';
import { EventStreamImporter, IMPORT_CHUNK_BYTES, ImportError, type ImportFix } from '../engine/data/import.ts';
import type { ImportOptions, ImportReport } from '../shared/data.ts';
import type { EventStream } from '../engine/data/eventStream.ts';

/** flags every command that reads an event file accepts */
export const IMPORT_FLAGS = ['data', 'columns', 'delimiter', 'header', 'format'] as const;

const DELIMITERS: ReadonlyMap<string, NonNullable<ImportOptions['delimiter']>> = new Map([
  [',', ','], ['comma', ','],
  ['\t', '\t'], ['\\t', '\t'], ['tab', '\t'],
  [';', ';'], ['semicolon', ';'],
  [' ', 'whitespace'], ['space', 'whitespace'], ['whitespace', 'whitespace'], ['ws', 'whitespace'],
]);
const FORMATS = ['auto', 'plain', 'jodie', 'dyglib'] as const;

export function readInput(path: string): Uint8Array {
  try {
    const buf = readFileSync(path);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    throw readError(path, e);
  }
}

function readError(path: string, e: unknown): UserError {
  const code = (e as NodeJS.ErrnoException).code;
  const full = resolve(path);
  if (code === 'ENOENT') return new UserError(`--data '${path}' does not exist (looked at ${full}); check the path`);
  if (code === 'EISDIR') return new UserError(`--data '${path}' is a directory; pass the event file inside it`);
  if (code === 'EACCES') return new UserError(`--data '${path}' is not readable (permission denied); check its permissions`);
  return new UserError(`cannot read --data '${path}': ${e instanceof Error ? e.message : String(e)}`);
}

/**
 * Imports the file at `path` read in chunks of IMPORT_CHUNK_BYTES straight into the importer's buffer, so
 * the file is never held whole (memory beyond the stream's arrays: about two chunks).
 */
export function importFile(path: string, options: ImportOptions): { stream: EventStream; report: ImportReport } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw readError(path, e);
  }
  try {
    let size: number | undefined;
    try {
      const st = fstatSync(fd);
      if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      if (st.isFile()) size = st.size;
    } catch (e) {
      throw readError(path, e);
    }
    const importer = new EventStreamImporter(options, size);
    for (;;) {
      const room = importer.reserve(IMPORT_CHUNK_BYTES);
      let got: number;
      try {
        got = readSync(fd, room, 0, room.length, null);
      } catch (e) {
        throw readError(path, e);
      }
      if (got === 0) break;
      importer.commit(got);
    }
    return importer.finish();
  } finally {
    closeSync(fd);
  }
}

export function importOptions(args: ParsedArgs): ImportOptions {
  const options: ImportOptions = {};
  const columns = stringFlag(args, 'columns');
  if (columns !== undefined) options.columns = columns;
  const delimiter = stringFlag(args, 'delimiter');
  if (delimiter !== undefined) {
    const d = DELIMITERS.get(delimiter.toLowerCase()) ?? DELIMITERS.get(delimiter);
    if (d === undefined) throw new UserError(`--delimiter must be one of comma, tab, semicolon, whitespace (or , \\t ;), got '${delimiter}'`);
    options.delimiter = d;
  }
  if (args.flags.has('header')) options.header = boolFlag(args, 'header');
  const format = stringFlag(args, 'format');
  if (format !== undefined) {
    const f = FORMATS.find((x) => x === format.toLowerCase());
    if (f === undefined) throw new UserError(`--format must be one of ${FORMATS.join(', ')}, got '${format}'`);
    options.format = f;
  }
  return options;
}

const DELIMITER_WORDS: Readonly<Record<ImportFix['tried'], string>> = { ',': 'comma', '\t': 'tab', ';': 'semicolon', whitespace: 'whitespace' };

/** How to fix a failed import, in the CLI's flags, to append to the importer's message ('' when none). */
export function cliFixText(fix: ImportFix | null): string {
  if (!fix) return '';
  const suggested = fix.suggested === null ? null : DELIMITER_WORDS[fix.suggested];
  if (fix.kind === 'delimiter') {
    return suggested
      ? `; with ${suggested} most lines have 3 or more columns: pass --delimiter ${suggested}`
      : '; if the file uses another separator, pass --delimiter comma, tab, semicolon or whitespace';
  }
  return suggested
    ? `; if that is wrong, try --delimiter ${suggested} (or --columns, --header), otherwise fix the file`
    : '; if that is wrong, pass --delimiter, --columns or --header, otherwise fix the file';
}

/** Reads and imports the file named by --data with the import flags; import errors say the fix in flags. */
export function loadStream(args: ParsedArgs): { path: string; stream: EventStream; report: ImportReport } {
  const path = requiredString(args, 'data');
  const options = importOptions(args);
  try {
    const { stream, report } = importFile(path, options);
    return { path, stream, report: { ...report, issues: report.issues.map((i) => ({ ...i, message: cliImportText(i.message) })) } };
  } catch (e) {
    if (e instanceof ImportError) throw new ImportError(cliImportText(e.message) + cliFixText(e.fix), e.issues.map((i) => ({ ...i, message: cliImportText(i.message) })));
    throw e;
  }
}

/** The importer's hints ("pass columns", its option) in the CLI's flag (`--columns`). */
export function cliImportText(text: string): string {
  return text.split('pass columns').join('pass --columns');
}
