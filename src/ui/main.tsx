import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { EngineBridge } from '../workers/bridge.ts';
import { parseHash } from './state.ts';
import { BridgeContext, committedState } from './useBridge.ts';
import { frames } from './views/frameScheduler.ts';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('expected an element with id "root" in index.html');

// one bridge (one engine worker) for the page's lifetime, created outside React so StrictMode's double
// mount does not start two workers
// while training plays, the worker waits after each snapshot until the page has rendered it and the charts
// have drawn it, so drawing never competes with training for a core on a busy machine; at most
// YIELD_MAX_MS, since a hidden tab gets no frames
const YIELD_MAX_MS = 400;
const bridge: EngineBridge = new EngineBridge({
  yieldToPage: () => {
    const shown = bridge.getState().snapshot;
    return Promise.race([
      frames.whenIdle(() => committedState()?.snapshot === shown),
      new Promise<void>((resolve) => setTimeout(resolve, YIELD_MAX_MS)),
    ]);
  },
});
window.addEventListener('pagehide', (e) => {
  if (!e.persisted) bridge.dispose();
});
// while training plays, charts redraw on animation frames within a time budget (views/frameScheduler.ts);
// when it stops, whatever waits is drawn at once
bridge.subscribe(() => {
  const playing = bridge.getState().status === 'playing';
  if (frames.deferring && !playing) frames.flush();
  frames.deferring = playing;
});
// the worker loads its code and starts the backend the link asks for while the UI's modules load (App
// imported below, not above); App's first start() takes this one over
bridge.prestart(parseHash(window.location.hash).state.backend);

import('./App.tsx').then(
  ({ App }) => {
    createRoot(root).render(
      <StrictMode>
        <BridgeContext.Provider value={bridge}>
          <App />
        </BridgeContext.Provider>
      </StrictMode>,
    );
  },
  (e: unknown) => {
    root.textContent = `The page could not load its code: ${e instanceof Error ? e.message : String(e)}. Reload to try again.`;
    throw e;
  },
);
