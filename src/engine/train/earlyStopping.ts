import { tf, type Variable } from '../tf.ts';

/**
 * Early stopping on a validation score (higher is better), as DyGLib trains: keeps a copy of the
 * weights of the best epoch (as plain arrays, so the tensor count stays that of the model);
 * `shouldStop` once `patience` epochs in a row did not improve on it; `restoreBest` writes the best
 * weights back into the variables.
 */
export class EarlyStopping {
  private best: { values: Float32Array; shape: number[] }[] | null = null;
  bestScore = -Infinity;
  bestEpoch = 0;
  private sinceBest = 0;

  constructor(readonly patience: number) {
    if (!(patience >= 0)) throw new Error(`EarlyStopping: patience must be ≥ 0, got ${patience}`);
  }

  /** records an epoch's score; returns true when it is the new best */
  update(epoch: number, score: number, variables: readonly Variable[]): boolean {
    if (score > this.bestScore) {
      this.bestScore = score;
      this.bestEpoch = epoch;
      this.sinceBest = 0;
      this.best = variables.map((v) => ({ values: Float32Array.from(v.dataSync()), shape: [...v.shape] }));
      return true;
    }
    this.sinceBest++;
    return false;
  }

  get shouldStop(): boolean {
    return this.sinceBest >= this.patience;
  }

  restoreBest(variables: readonly Variable[]): void {
    if (!this.best) throw new Error('EarlyStopping: no epoch recorded yet');
    if (this.best.length !== variables.length) throw new Error(`EarlyStopping: expected ${this.best.length} variables, got ${variables.length}`);
    variables.forEach((v, i) => {
      const saved = this.best![i]!;
      tf.tidy(() => v.assign(tf.tensor(saved.values, saved.shape)));
    });
  }

  dispose(): void {
    this.best = null;
  }
}
