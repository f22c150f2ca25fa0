// What the importer read and the exporter wrote: reports that cross the worker boundary.

/** 0-based column indices */
export interface ColumnMapping {
  src: number;
  dst: number;
  t: number;
  features: number[];
  label: number | null;
}

export interface ImportOptions {
  /** roles per column in file order, e.g. 'src,dst,feat,t' (src, dst, t, feat, label, skip and aliases) */
  columns?: string;
  /** ' ' is treated as 'whitespace' (runs of spaces and tabs) */
  delimiter?: ',' | '\t' | ' ' | ';' | 'whitespace';
  /** force a header present/absent; default: detect */
  header?: boolean;
  format?: 'auto' | 'plain' | 'jodie' | 'dyglib';
  /** called at most ~100 times with the fraction of bytes scanned */
  onProgress?: (fractionDone: number) => void;
}

/**
 * line and column are 1-based (column null = whole row or file). Severity 'error' = the row was dropped;
 * 'warning' = data kept, but something was detected, fixed or ignored.
 */
export interface ImportIssue {
  severity: 'error' | 'warning';
  line: number;
  column: number | null;
  message: string;
}

export interface ImportReport {
  /** ',' | '\t' | ';' | 'whitespace' */
  delimiter: string;
  header: boolean;
  headerNames: string[] | null;
  format: 'plain' | 'jodie' | 'dyglib';
  mapping: ColumnMapping;
  /** role per column for display, e.g. ['src','dst','feat','t'] */
  columnNames: string[];
  timeColumnReason: string;
  /** input already in time order */
  sorted: boolean;
  /** data rows read (header, comments and blank lines excluded), including dropped ones */
  rowsRead: number;
  rowsDropped: number;
  commentLines: number;
  /** JODIE: items got their own id range after the users, raw ids prefixed 'item:' */
  bipartite: boolean;
  /** the first MAX_ISSUES issues, then one warning counting the rest */
  issues: ImportIssue[];
  bytes: number;
  parseMs: number;
}

export interface DatasetSummary {
  readonly name: string;
  readonly events: number;
  readonly nodes: number;
  readonly edgeFeatureDim: number;
  readonly tMin: number;
  readonly tMax: number;
  readonly report: ImportReport;
  /** [start, end) event ranges */
  readonly split: { readonly train: readonly [number, number]; readonly val: readonly [number, number]; readonly test: readonly [number, number] };
}

export type ExportFormat = 'dyglib' | 'tgl';

export const EXPORT_FORMATS: readonly ExportFormat[] = ['dyglib', 'tgl'];

export interface ExportedFile {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly mime: string;
}

export interface ExportResult {
  readonly format: ExportFormat;
  readonly name: string;
  readonly files: ExportedFile[];
  readonly events: number;
  readonly nodes: number;
  /** events per part of the chronological split (ext_roll 0/1/2) */
  readonly split: { readonly train: number; readonly val: number; readonly test: number };
  /** what was adapted, and the commands to run on the other side */
  readonly notes: string[];
}

/** an error the worker reports to the page; the previous dataset and model stay usable */
export interface BridgeError {
  readonly message: string;
  /** import problems with line/column, when the error came from a file */
  readonly issues: readonly ImportIssue[];
}
