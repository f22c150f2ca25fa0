import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { artifactsDir, openApp, openSession, type Session } from './browser.ts';

// Issue 11, "nothing lost on reload": an uploaded stream is kept in this browser (IndexedDB) and the
// link names it (dataset=upload:<fingerprint>), so a reload brings it back; a link to an upload this
// browser does not keep (forgotten, or opened in another browser) says so and loads the default stream.

describe('uploads survive a reload', () => {
  const origin = inject('baseUrl');
  let session: Session;
  let tmp = '';
  let file = '';

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'tgnn-e2e-reload-'));
    file = join(tmp, 'my-chats.csv');
    writeFileSync(file, ['src,dst,t', ...Array.from({ length: 60 }, (_, i) => `p${i % 7},p${(i * 3 + 1) % 7},${1000 + i * 5}`)].join('\n') + '\n');
    session = await openSession();
  });

  afterAll(async () => {
    await session?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('an upload is kept and named in the link: a reload and the copied link bring it back; forgotten, the link says so', async () => {
    const page = session.page;
    await openApp(page, `${origin}/`);
    await page.getByTestId('file-input').setInputFiles(file);
    await page.getByTestId('dataset-name').filter({ hasText: 'my-chats.csv' }).waitFor({ timeout: 60_000 });
    await page.getByTestId('kept-uploads').filter({ hasText: 'my-chats.csv' }).waitFor({ timeout: 10_000 });
    await page.waitForFunction(() => /dataset=upload%3A[0-9a-f]{16}|dataset=upload:[0-9a-f]{16}/.test(window.location.hash), null, { timeout: 10_000 });
    const link = page.url();
    console.log(`e2e reload: the link after the upload: ${link.slice(link.indexOf('#'))}`);
    await page.getByTestId('dataset-panel').screenshot({ path: join(artifactsDir, 'kept-upload.png') });

    // a reload: the same stream, not the bundled one
    await page.reload({ waitUntil: 'load' });
    await page.getByTestId('dataset-name').filter({ hasText: 'my-chats.csv' }).waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('dataset-stats').textContent()).toContain('60 events');
    expect(await page.getByTestId('hash-notice').count()).toBe(0);

    // the copied link in a new tab of this browser
    const tab = await session.context.newPage();
    await openApp(tab, link);
    await tab.getByTestId('dataset-name').filter({ hasText: 'my-chats.csv' }).waitFor({ timeout: 60_000 });
    await tab.close();

    // forgotten: the same link now says what is missing and loads the default stream
    await page.getByTestId('forget-upload').click();
    await page.getByTestId('kept-uploads').waitFor({ state: 'detached', timeout: 10_000 });
    await page.goto('about:blank');
    await openApp(page, link);
    const notice = page.getByTestId('hash-notice');
    await notice.waitFor({ timeout: 30_000 });
    expect(await notice.textContent()).toContain('an uploaded file this browser does not keep');
    expect(await page.getByTestId('dataset-name').textContent()).toBe('conversations');
    expect(session.errors).toEqual([]);
  });
});
