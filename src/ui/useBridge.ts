// One EngineBridge for the whole app, provided through context. React reads its state through a
// subscription: a change of anything but the training snapshot renders at once; a new snapshot alone (a
// stream of them while training plays) renders as a transition, which React works on in slices that give
// way to input and frames, so a big page's re-render never holds the main thread for long.
import { createContext, startTransition, useContext, useEffect, useState } from 'react';
import type { BridgeState, EngineBridgeApi } from '../workers/bridgeApi.ts';

/** the bridge state the page rendered last: its effects (the charts' draw requests among them) have run */
let committed: BridgeState | null = null;
export const committedState = (): BridgeState | null => committed;

export const BridgeContext = createContext<EngineBridgeApi | null>(null);

/** The app's bridge (from <BridgeContext.Provider>). */
export function useBridge(): EngineBridgeApi {
  const bridge = useContext(BridgeContext);
  if (bridge === null) throw new Error('useBridge: expected a <BridgeContext.Provider> above this component');
  return bridge;
}

/** true when `next` differs from `prev` in its snapshot only (the bridge keeps unchanged fields' identity) */
export function onlySnapshotChanged(prev: BridgeState, next: BridgeState): boolean {
  if (prev.snapshot === next.snapshot) return false;
  for (const key of Object.keys(next) as (keyof BridgeState)[]) {
    if (key !== 'snapshot' && prev[key] !== next[key]) return false;
  }
  return true;
}

/** The bridge's current state; re-renders when it changes (a snapshot-only change as a transition). */
export function useBridgeState(bridge: EngineBridgeApi): BridgeState {
  const [state, setState] = useState(() => bridge.getState());
  useEffect(() => {
    let shown = bridge.getState();
    const update = (): void => {
      const next = bridge.getState();
      if (next === shown) return;
      const transition = onlySnapshotChanged(shown, next);
      shown = next;
      if (transition) startTransition(() => setState(next));
      else setState(next);
    };
    const unsubscribe = bridge.subscribe(update);
    // what changed between the first render and this subscription
    setState(shown);
    update();
    return unsubscribe;
  }, [bridge]);
  // after the children's effects: every chart has asked for its redraw of this state
  useEffect(() => {
    committed = state;
  }, [state]);
  return state;
}
