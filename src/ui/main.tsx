import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { EngineBridge } from '../workers/bridge.ts';
import { parseHash } from './state.ts';
import { BridgeContext } from './useBridge.ts';
import { frames } from './views/frameScheduler.ts';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('expected an element with id "root" in index.html');

// one bridge (one engine worker) for the page's lifetime, created outside React so StrictMode's double
// mount does not start two workers
// while training plays, the worker waits after each snapshot until the charts have drawn it, so drawing
// never competes with training for a core on a busy machine; at most 250 ms, since a hidden tab gets no frames
const bridge = new EngineBridge({
  yieldToPage: () => Promise.race([frames.whenIdle(), new Promise<void>((resolve) => setTimeout(resolve, 250))]),
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
