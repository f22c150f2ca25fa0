// A server thread of the serving lab's wall clock in the page (started by servingWorker.ts from the engine
// worker): the update or query server of src/engine/serve/wall.ts, sharing memory with the other through
// SharedArrayBuffers (the page is cross-origin isolated).
import './wasmPaths.ts';
import { serveThreadHandler, type ServeThreadRequest } from '../engine/serve/wallThreads.ts';

const handle = serveThreadHandler();
self.onmessage = (e: MessageEvent<ServeThreadRequest>) => {
  void handle(e.data).then((reply) => self.postMessage(reply));
};
