// Test helpers for the nn/ modules (imported by their *.test.ts files only).
import { expect } from 'vitest';
import { tf, type Scalar, type Tensor, type Variable } from '../tf.ts';

/** Overwrite a variable with hand-picked values (row-major), checking the count matches its shape. */
export function setWeights(v: Variable, values: readonly number[]): void {
  if (values.length !== v.size) throw new Error(`setWeights: ${v.name} has ${v.size} values (shape [${v.shape.join(', ')}]), got ${values.length}`);
  const t = tf.tensor(values, v.shape);
  v.assign(t);
  t.dispose();
}

/**
 * d loss / d each named variable: 'ok' when the gradient is finite and not all zero, else what is wrong.
 * Compare with an object of 'ok's so a failure names the variable.
 */
export function gradientReport(loss: () => Scalar, named: Readonly<Record<string, Variable>>): Record<string, string> {
  const vars = Object.values(named);
  const { value, grads } = tf.variableGrads(loss, vars);
  const report: Record<string, string> = {};
  for (const [name, v] of Object.entries(named)) {
    const g = grads[v.name];
    if (!g) {
      report[name] = 'no gradient';
      continue;
    }
    const data = g.dataSync();
    report[name] = !data.every(Number.isFinite) ? 'non-finite' : data.some((x) => x !== 0) ? 'ok' : 'zero';
  }
  value.dispose();
  tf.dispose(Object.values(grads));
  return report;
}

/** every name mapped to 'ok' (what gradientReport gives when all gradients arrive) */
export function allOk(named: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(Object.keys(named).map((k) => [k, 'ok']));
}

/** a 2-D tensor's values as rows (for toBeCloseTo comparisons) */
export function rows(t: Tensor): number[][] {
  return t.arraySync() as number[][];
}

/** name a module's variables in their fixed (checkpoint) order; throws when the count differs */
export function named<K extends string>(vars: readonly Variable[], names: readonly K[]): Record<K, Variable> {
  if (vars.length !== names.length) throw new Error(`named: ${vars.length} variables, ${names.length} names (${names.join(', ')})`);
  return Object.fromEntries(names.map((n, i) => [n, vars[i]])) as Record<K, Variable>;
}

/** rows of numbers equal to `expected`, each value to `digits` digits (float32 arithmetic) */
export function expectRowsClose(actual: number[][], expected: number[][], digits = 6): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((row, i) => {
    expect(actual[i]!.length).toBe(row.length);
    row.forEach((x, j) => expect(actual[i]![j], `[${i}][${j}]`).toBeCloseTo(x, digits));
  });
}
