import { tf, type Tensor2D } from '../tf.ts';

/** The parts of a raw mail once the memories are read. */
export interface MessageParts {
  /** receiving node's memory (n × memoryDim) */
  readonly self: Tensor2D;
  /** other endpoint's memory (n × memoryDim) */
  readonly other: Tensor2D;
  /** time encoding of t(mail) − lastUpdate(receiver) (n × timeDim) */
  readonly time: Tensor2D;
  /** edge features (n × edgeFeatureDim) or null when the stream has none */
  readonly edge: Tensor2D | null;
}

export interface MessageFunction {
  readonly dim: number;
  compute(parts: MessageParts): Tensor2D;
}

/** TGN's identity message: [s_self, s_other, φ(Δt), e]. */
export class IdentityMessage implements MessageFunction {
  readonly dim: number;

  constructor(memoryDim: number, timeDim: number, edgeFeatureDim: number) {
    this.dim = 2 * memoryDim + timeDim + edgeFeatureDim;
  }

  compute(parts: MessageParts): Tensor2D {
    const cols = [parts.self, parts.other, parts.time];
    if (parts.edge) cols.push(parts.edge);
    return tf.concat(cols, 1);
  }
}
