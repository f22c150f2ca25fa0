import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
};

export interface StaticServer {
  /** e.g. http://127.0.0.1:41234 (no trailing slash) */
  origin: string;
  /** paths requested, in order, with their status */
  log: { path: string; status: number }[];
  close(): Promise<void>;
}

/**
 * Serves a directory on 127.0.0.1 with a free port, with the COOP/COEP headers the app needs
 * (cross-origin isolation for tfjs-wasm threads) and correct MIME types (application/wasm included).
 */
export async function serveDirectory(root: string): Promise<StaticServer> {
  const log: StaticServer['log'] = [];
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let rel: string;
    try {
      rel = normalize(decodeURIComponent(url.pathname));
    } catch {
      rel = '';
    }
    let file = join(root, rel);
    let status = 200;
    if (!rel || !(file === root || file.startsWith(root + sep))) {
      status = 400;
    } else {
      try {
        if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
        if (!(await stat(file)).isFile()) status = 404;
      } catch {
        status = 404;
      }
    }
    log.push({ path: url.pathname, status });
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Cache-Control', 'no-store');
    if (status !== 200) {
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(status === 404 ? 'not found\n' : 'bad request\n');
      return;
    }
    res.writeHead(200, { 'Content-Type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream' });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    log,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
