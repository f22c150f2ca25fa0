import { memo, useCallback } from 'react';
import type { EngineBridgeApi } from '../../workers/bridgeApi.ts';
import type { DatasetSummary } from '../../shared/data.ts';
import type { TrainingSnapshot } from '../../shared/training.ts';
import type { ExperimentSettings } from '../../shared/settings.ts';
import { BatchAnatomy, type AnatomyRequest } from './BatchAnatomy.tsx';
import { AgeHistogram, ProbeBars } from './ProbeViews.tsx';
import { Sweep, type SweepRequest } from './Sweep.tsx';
import { ParallelCard } from './ParallelCard.tsx';
import { ServingCard, type ServingRequest } from './ServingCard.tsx';
import './lab.css';

// their props change only with the dataset, settings or a lesson's request, not with every training snapshot
const SweepMemo = memo(Sweep);
const ServingCardMemo = memo(ServingCard);

export interface LabProps {
  readonly bridge: EngineBridgeApi;
  readonly dataset: DatasetSummary | null;
  readonly snapshot: TrainingSnapshot | null;
  /** the experiment's applied settings */
  readonly settings: ExperimentSettings;
  readonly onError: (what: string, e: unknown) => void;
  /** a lesson step's batch for the anatomy, and its sweep */
  readonly anatomyRequest?: AnatomyRequest | null;
  readonly sweepRequest?: SweepRequest | null;
  /** a lesson step's serving run */
  readonly servingRequest?: ServingRequest | null;
}

/**
 * The staleness and information-loss lab: one batch up close, the probes while training, and a batch-size
 * sweep. Memoised: a change of the page's state that is not its dataset or snapshot (play ↔ pause among
 * them) does not re-render it.
 */
export const Lab = memo(function Lab({ bridge, dataset, snapshot, settings, onError, anatomyRequest = null, sweepRequest = null, servingRequest = null }: LabProps) {
  // stable, so the anatomy is fetched when its inputs change, not on every bridge update
  const fetchAnatomy = useCallback((from: number, b: number, k: number) => bridge.anatomy(from, b, k), [bridge]);
  return (
    <section className="lab" data-testid="lab" aria-labelledby="lab-title">
      <header className="lab-head">
        <h2 id="lab-title">Staleness lab</h2>
        <p>
          A memory-based TGNN processes events in batches. Inside a batch no event sees the memory updates of the events before it
          (<b>staleness</b>), and a mailbox of one mail per node keeps only the last of a node&apos;s mails in the batch (<b>information
          loss</b>). Bigger batches train faster, but more of their events are stale and more mails are dropped; DistTGL shows accuracy falling as the batch grows.
        </p>
      </header>
      <div className="lab-grid">
        <div className="lab-slot lab-anatomy">
          <BatchAnatomy
            dataset={dataset}
            snapshot={snapshot}
            trainingBatchSize={settings.batchSize}
            mailboxSize={settings.mailboxSize}
            fetchAnatomy={fetchAnatomy}
            onError={onError}
            request={anatomyRequest}
          />
        </div>
        <div className="lab-slot">
          <ProbeBars snapshot={snapshot} />
        </div>
        <div className="lab-slot">
          <AgeHistogram snapshot={snapshot} dataset={dataset} />
        </div>
        <div className="lab-slot lab-sweep">
          <SweepMemo bridge={bridge} dataset={dataset} settings={settings} onError={onError} request={sweepRequest} />
        </div>
        <div className="lab-slot lab-sweep">
          <ParallelCard settings={settings} dataset={dataset} snapshot={snapshot} />
        </div>
        <div className="lab-slot lab-sweep">
          <ServingCardMemo bridge={bridge} dataset={dataset} onError={onError} request={servingRequest} />
        </div>
      </div>
    </section>
  );
});
