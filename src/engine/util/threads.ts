// What the engine asks of a thread it hands work to (worker_threads in the CLI, Web Workers in the page):
// DistTGL's trainer threads and the serving lab's server threads are both such threads.

/** a thread answering one request at a time */
export interface RequestThread<Req, Reply> {
  request(message: Req): Promise<Reply>;
  terminate(): unknown;
}

/**
 * What a worker thread says of an error it caught, for the thread that started it: the message and the
 * first three frames of the stack (an Error does not cross a thread boundary as an Error).
 */
export function threadErrorMessage(e: unknown): string {
  return e instanceof Error ? `${e.message}\n${(e.stack ?? '').split('\n').slice(1, 4).join('\n')}` : String(e);
}
