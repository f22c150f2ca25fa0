// The browser part of the bad-input corpus (src/testing/corpus): the cases marked `browser` uploaded one
// after another through the page's file input. Each refused file: the page's message (in the page's terms:
// the Dataset panel's controls, no CLI flags), the dataset loaded before stays loaded with the same stats,
// and nothing on the console. Then one awkward file that loads, with its warning naming the line.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { artifactsDir, openApp, openSession, type Session } from './browser.ts';
import { CORPUS } from '../src/testing/corpus/manifest.ts';

const SMALL = 'synthetic-small';
const inputs = fileURLToPath(new URL('../src/testing/corpus/inputs/', import.meta.url));

/** what the page says after "Import failed:", for each refused browser case */
const PAGE_MESSAGE: Readonly<Record<string, string>> = {
  'delim-mixed-comma-tab-rows.csv':
    'the lines use different delimiters: 6 of 12 sampled lines are comma-separated (first: line 2) and 6 are tab-separated (first: line 3); ' +
    'use one delimiter throughout the file (for example replace the tabs with commas), then import again',
  'header-only.csv': 'the file has a header line but no data rows; add events below the header',
  'enc-binary.bin': 'the file looks binary (NUL byte at offset 1); expected delimited text such as CSV (src,dst,t per line)',
  'enc-gzip.csv.gz': 'the file is gzip-compressed; decompress it first (e.g. gunzip) and import the text file',
  'enc-json-array.json':
    'the file looks like JSON; the importer reads delimited text with one event per line (CSV such as src,dst,t, TSV or whitespace-separated); ' +
    'convert it to CSV first, for example with one row per event: source id, destination id, time',
  'empty.csv': 'the file is empty; expected rows like src,dst,t',
  'half-bad.csv':
    "7 of 12 data rows are bad (first: line 2, column 3: time 'x' is not a number; fix or delete the row); read with delimiter ',', columns src,dst,t. " +
    'If the delimiter is wrong, choose another under Delimiter in the Dataset panel; otherwise fix the file.',
  'two-columns.csv':
    "found only 2 columns with delimiter ',' (detected); an event needs at least src, dst and t columns. If the file uses another separator, choose it under Delimiter in the Dataset panel.",
  // refused by the times check the page runs on upload (the CLI's train and stats say the same)
  'time-1e300.csv':
    'time-1e300.csv: the times span 1.1e+301 (from 1e+300 to 1.2e+301), but the model computes with 32-bit numbers, which end at about 3.4e38, ' +
    'so training would give only NaN; divide the times by 1e293 (or give them in seconds) and load the file again',
  'one-row.csv': 'one-row.csv has 1 usable event; training needs at least 10',
};

describe('bad-input corpus in the page', () => {
  const origin = inject('baseUrl');
  let session: Session;

  beforeAll(async () => {
    session = await openSession();
    await openApp(session.page, `${origin}/#dataset=${SMALL}`);
  });

  afterAll(async () => {
    await session?.close();
  });

  afterEach(() => {
    expect(session.errors.splice(0), 'console errors, uncaught errors, failed requests').toEqual([]);
  });

  it('the browser cases are the ones this file knows', () => {
    const marked = CORPUS.filter((c) => c.browser && c.knownFailure === undefined).map((c) => c.name).sort();
    expect(marked).toEqual([...Object.keys(PAGE_MESSAGE), 'quote-stray-unclosed.csv'].sort());
  });

  for (const [name, message] of Object.entries(PAGE_MESSAGE)) {
    it(`${name}: the message, ${SMALL} still loaded, no console errors`, async () => {
      const page = session.page;
      const stats = await page.getByTestId('dataset-stats').textContent();
      const first = page.getByTestId('import-error').locator('p').first();
      const before = (await first.count()) > 0 ? await first.textContent() : null;
      await page.getByTestId('file-input').setInputFiles(join(inputs, name));
      // the message of this upload (each differs from the one before)
      await page.waitForFunction(
        (b) => {
          const p = document.querySelector('[data-testid="import-error"] p');
          return p !== null && p.textContent !== b;
        },
        before,
        { timeout: 30_000 },
      );
      const text = await first.textContent();
      console.log(`e2e corpus ${name}: ${text}`);
      expect(text).toBe(`Import failed: ${message}`);
      expect(text, 'the page names no CLI flag').not.toMatch(/--\w|pass columns/);
      expect(await page.getByTestId('import-error').textContent()).toContain(`Still using ${SMALL}.`);
      expect(await page.getByTestId('dataset-name').textContent()).toBe(SMALL);
      expect(await page.getByTestId('dataset-stats').textContent()).toBe(stats);
      if (name === 'half-bad.csv') await page.getByTestId('dataset-panel').screenshot({ path: join(artifactsDir, 'corpus-half-bad.png') });
    });
  }

  it('quote-stray-unclosed.csv: loads without the stray row, the warning names line 6', async () => {
    const page = session.page;
    await page.getByTestId('file-input').setInputFiles(join(inputs, 'quote-stray-unclosed.csv'));
    await page.getByTestId('dataset-name').filter({ hasText: 'quote-stray-unclosed.csv' }).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('import-error').count()).toBe(0);
    expect(await page.getByTestId('dataset-stats').textContent()).toContain('29 events');
    expect(await page.getByTestId('import-issues').textContent()).toContain('line 6');
  });
});
