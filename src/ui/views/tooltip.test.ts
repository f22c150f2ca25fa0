import { describe, expect, it } from 'vitest';
import { tooltipPosition } from './tooltip.ts';

describe('tooltipPosition', () => {
  // a 100×20 tooltip in a 300×200 container
  it('sits above and right of the pointer when there is room', () => {
    expect(tooltipPosition(50, 100, 100, 20, 300, 200)).toEqual({ left: 60, top: 70 });
  });
  it('flips to the left of the pointer near the right edge', () => {
    expect(tooltipPosition(280, 100, 100, 20, 300, 200)).toEqual({ left: 170, top: 70 });
  });
  it('goes below the pointer near the top edge', () => {
    expect(tooltipPosition(50, 15, 100, 20, 300, 200)).toEqual({ left: 60, top: 25 });
  });
  it('stays inside when it fits on neither side of the pointer', () => {
    // 250 wide in 300: right of x = 150 it would end at 410, left of it start at −110
    expect(tooltipPosition(150, 100, 250, 20, 300, 200)).toEqual({ left: 4, top: 70 });
    // at the bottom-right corner
    expect(tooltipPosition(299, 199, 100, 20, 300, 200)).toEqual({ left: 189, top: 169 });
  });
});
