// A trainer thread of DistTGL's parallel training in the page (started by workerSession.ts from the engine
// worker): src/engine/train/trainerThreads.ts's handler on a Web Worker.
import './wasmPaths.ts';
import { trainerThreadHandler, type TrainerThreadRequest } from '../engine/train/trainerThreads.ts';

const handle = trainerThreadHandler();
self.onmessage = (e: MessageEvent<TrainerThreadRequest>) => {
  void handle(e.data).then(({ reply, transfer }) => self.postMessage(reply, { transfer }));
};
