import type { ExperimentSettings } from '../../shared/settings.ts';
import { MODEL_PRESETS, type TgnConfig } from '../../shared/presets.ts';

interface Stage {
  /** what the stage is in the paper's words */
  readonly label: string;
  /** the module that fills it in this preset */
  readonly module: string;
}

/** The module each stage of the batch step gets under a config (what models/tgn.ts's tgnModules injects). */
export function wiringOf(c: TgnConfig): Stage[] {
  const none = '— (no node memory)';
  return [
    { label: 'mailbox', module: !c.memory ? none : c.mailboxSize > 1 ? `${c.mailboxSize} mails, ${c.aggregator}` : 'last mail' },
    { label: 'message', module: !c.memory ? none : c.messageOther === 'embedding' ? '[s, attn z′, φ(Δt)]' : '[s, s′, φ(Δt)]' },
    { label: 'updater', module: !c.memory ? none : c.updater === 'gru' ? 'GRU' : 'RNN' },
    {
      label: 'embedding',
      module: c.embedding === 'time-projection'
        ? 'time projection'
        : c.embedding === 'identity'
          ? 'memory itself'
          : `${c.layers === 2 ? '2-layer ' : ''}attention, ${c.neighbours} nbrs`,
    },
    { label: 'decoder', module: 'MLP' },
  ];
}

const BOX_W = 92;
const BOX_H = 38;
const GAP_Y = 12;

/** A small vertical flow chart: the batch step's stages and the module the preset plugs into each. */
export function ModelDiagram({ model, settings }: { model: ExperimentSettings['model']; settings: ExperimentSettings }) {
  const stages = wiringOf({
    ...MODEL_PRESETS[model],
    mailboxSize: settings.mailboxSize,
    aggregator: settings.aggregator,
    staticMemory: settings.staticMemory,
    neighbours: settings.neighbours,
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
