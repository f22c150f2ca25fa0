import type { ExperimentSettings } from '../../engine/session/types.ts';

interface Stage {
  /** what the stage is in the paper's words */
  readonly label: string;
  /** the module that fills it in this preset */
  readonly module: string;
}

/** The module each preset injects at each stage of the batch step (src/engine/models/tgn.ts). */
const WIRING: Record<ExperimentSettings['model'], readonly Stage[]> = {
  tgn: [
    { label: 'mailbox', module: 'last mail' },
    { label: 'message', module: '[s, s′, φ(Δt)]' },
    { label: 'updater', module: 'GRU' },
    { label: 'embedding', module: 'attention, 10 nbrs' },
    { label: 'decoder', module: 'MLP' },
  ],
  jodie: [
    { label: 'mailbox', module: 'last mail' },
    { label: 'message', module: '[s, s′, φ(Δt)]' },
    { label: 'updater', module: 'RNN' },
    { label: 'embedding', module: 'time projection' },
    { label: 'decoder', module: 'MLP' },
  ],
};

const BOX_W = 92;
const BOX_H = 38;
const GAP_Y = 12;

/** A small vertical flow chart: the batch step's stages and the module the preset plugs into each. */
export function ModelDiagram({ model, settings }: { model: ExperimentSettings['model']; settings: ExperimentSettings }) {
  const stages = WIRING[model].map((s) => {
    if (s.label === 'mailbox') {
      const k = settings.mailboxSize;
      return { ...s, module: k > 1 ? `${k} mails, ${settings.aggregator}` : 'last mail' };
    }
    if (s.label === 'embedding' && model === 'tgn') return { ...s, module: `attention, ${settings.neighbours} nbrs` };
    return s;
  });
  const extra = settings.staticMemory ? 1 : 0;
  const height = stages.length * (BOX_H + GAP_Y) - GAP_Y + extra * 22 + 4;
  return (
    <svg
      className="model-diagram"
      data-testid="model-diagram"
      role="img"
      aria-label={`${model} wiring: ${stages.map((s) => `${s.label} ${s.module}`).join(', ')}`}
      width={BOX_W * 2 + 20}
      height={height}
      viewBox={`0 0 ${BOX_W * 2 + 20} ${height}`}
    >
      {stages.map((s, i) => {
        const y = i * (BOX_H + GAP_Y);
        return (
          <g key={s.label} transform={`translate(0,${y})`}>
            <rect width={BOX_W * 2 + 16} height={BOX_H} rx={6} className="stage" />
            <text x={10} y={16} className="stage-label">{s.label}</text>
            <text x={10} y={31} className="stage-module">{s.module}</text>
            {i < stages.length - 1 && <path d={`M ${BOX_W} ${BOX_H} v ${GAP_Y}`} className="arrow" markerEnd="url(#arrowhead)" />}
          </g>
        );
      })}
      {settings.staticMemory && (
        <text x={10} y={height - 6} className="stage-module">+ static node memory added when memory is read</text>
      )}
      <defs>
        <marker id="arrowhead" viewBox="0 0 6 6" refX="3" refY="5" markerWidth="6" markerHeight="6" orient="0">
          <path d="M 0 0 L 3 5 L 6 0" className="arrow" />
        </marker>
      </defs>
    </svg>
  );
}
