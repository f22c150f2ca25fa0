import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { EngineBridge } from '../workers/bridge.ts';
import { App } from './App.tsx';
import { BridgeContext } from './useBridge.ts';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('expected an element with id "root" in index.html');

// one bridge (one engine worker) for the page's lifetime, created outside React so StrictMode's double
// mount does not start two workers
const bridge = new EngineBridge();
window.addEventListener('pagehide', (e) => {
  if (!e.persisted) bridge.dispose();
});

createRoot(root).render(
  <StrictMode>
    <BridgeContext.Provider value={bridge}>
      <App />
    </BridgeContext.Provider>
  </StrictMode>,
);
