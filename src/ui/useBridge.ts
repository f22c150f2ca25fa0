// One EngineBridge for the whole app, provided through context; React reads its state through
// useSyncExternalStore, so a component re-renders only when the bridge publishes a new state object.
import { createContext, useCallback, useContext, useSyncExternalStore } from 'react';
import type { BridgeState, EngineBridgeApi } from '../workers/bridgeApi.ts';

export const BridgeContext = createContext<EngineBridgeApi | null>(null);

/** The app's bridge (from <BridgeContext.Provider>). */
export function useBridge(): EngineBridgeApi {
  const bridge = useContext(BridgeContext);
  if (bridge === null) throw new Error('useBridge: expected a <BridgeContext.Provider> above this component');
  return bridge;
}

/** The bridge's current state; re-renders when it changes. */
export function useBridgeState(bridge: EngineBridgeApi): BridgeState {
  const subscribe = useCallback((listener: () => void) => bridge.subscribe(listener), [bridge]);
  const getSnapshot = useCallback(() => bridge.getState(), [bridge]);
  return useSyncExternalStore(subscribe, getSnapshot);
}
