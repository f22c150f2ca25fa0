import { describe, expect, it } from 'vitest';
import { createFrameScheduler, type SchedulerClock } from './frameScheduler.ts';

/** frames run only when `tick()` is called; each job advances the clock by the ms it is given */
function fakeClock(): SchedulerClock & { tick(): void; frames: number; t: number } {
  let queued: (() => void)[] = [];
  const c = {
    t: 0,
    frames: 0,
    now: () => c.t,
    requestFrame: (f: () => void) => {
      queued.push(f);
    },
    tick: () => {
      const run = queued;
      queued = [];
      c.frames++;
      for (const f of run) f();
    },
  };
  return c;
}

/** jobs that record their name and take `ms` on the fake clock */
function timedJobs(clock: { t: number }): { drawn: string[]; job: (name: string, ms: number) => () => void } {
  const drawn: string[] = [];
  return {
    drawn,
    job: (name, ms) => () => {
      drawn.push(name);
      clock.t += ms;
    },
  };
}

describe('frame scheduler', () => {
  it('draws nothing before a frame, and only the newest request of a key', () => {
    const clock = fakeClock();
    const s = createFrameScheduler(clock, 8);
    const drawn: string[] = [];
    const a = {};
    s.request(a, () => drawn.push('a1'));
    s.request(a, () => drawn.push('a2'));
    expect(drawn).toEqual([]);
    expect(s.pending).toBe(1);
    clock.tick();
    expect(drawn).toEqual(['a2']);
    expect(s.pending).toBe(0);
  });

  it('stops a frame once the budget is spent and keeps the rest, oldest first, for the next one', () => {
    const clock = fakeClock();
    const s = createFrameScheduler(clock, 8);
    const { drawn, job } = timedJobs(clock);
    const [a, b, c] = [{}, {}, {}];
    s.request(a, job('a', 5));
    s.request(b, job('b', 5));
    s.request(c, job('c', 1));
    clock.tick();
    // a (5 ms) leaves budget, b brings it to 10 ms ≥ 8: c waits
    expect(drawn).toEqual(['a', 'b']);
    // a newer request of a waiting key keeps that key's place in line
    s.request(a, job('a again', 1));
    s.request(c, job('c newest', 1));
    clock.tick();
    expect(drawn).toEqual(['a', 'b', 'c newest', 'a again']);
    expect(clock.frames).toBe(2);
  });

  it("skips a job whose last draw would take the frame past the budget, for cheaper ones behind it, and runs it first in the next frame", () => {
    const clock = fakeClock();
    const s = createFrameScheduler(clock, 8);
    const { drawn, job } = timedJobs(clock);
    const [small, big, tiny] = [{}, {}, {}];
    // first frames: the costs are learnt (big alone in its frame, as the first job)
    s.request(big, job('big', 7));
    clock.tick();
    s.request(small, job('small', 3));
    s.request(big, job('big 2', 7));
    s.request(tiny, job('tiny', 1));
    clock.tick();
    // small (3 ms) drew; big's 7 ms would make 10 > 8: it waits, tiny (no cost known yet) draws
    expect(drawn).toEqual(['big', 'small', 'tiny']);
    clock.tick();
    expect(drawn).toEqual(['big', 'small', 'tiny', 'big 2']);
    // within the budget, the expected cost does not hold a job back: 3 + 1 + 3 ≤ 8
    s.request(small, job('small 2', 3));
    s.request(tiny, job('tiny 2', 1));
    s.request({}, job('other', 3));
    clock.tick();
    expect(drawn.slice(4)).toEqual(['small 2', 'tiny 2', 'other']);
    expect(clock.frames).toBe(4);
  });

  it('a job longer than the budget still runs (one per frame at least); cancel and flush', () => {
    const clock = fakeClock();
    const s = createFrameScheduler(clock, 8);
    const drawn: string[] = [];
    const [a, b, c] = [{}, {}, {}];
    s.request(a, () => {
      drawn.push('a');
      clock.t += 30;
    });
    s.request(b, () => drawn.push('b'));
    s.request(c, () => drawn.push('c'));
    s.cancel(b);
    clock.tick();
    expect(drawn).toEqual(['a']);
    s.flush();
    expect(drawn).toEqual(['a', 'c']);
    clock.tick();
    expect(drawn).toEqual(['a', 'c']);
  });
});

describe('frame scheduler: requests made while a frame draws', () => {
  it('wait for the next frame (a chart drawn in parts spreads over frames)', () => {
    const clock = fakeClock();
    const s = createFrameScheduler(clock, 8);
    const drawn: string[] = [];
    const [a, b] = [{}, {}];
    s.request(a, () => {
      drawn.push('a part 1');
      s.request(b, () => drawn.push('a part 2'));
    });
    clock.tick();
    expect(drawn).toEqual(['a part 1']);
    clock.tick();
    expect(drawn).toEqual(['a part 1', 'a part 2']);
  });

  it('whenIdle resolves only after the frame that draws the last waiting chart, a quiet frame after it, and a task', async () => {
    const clock = fakeClock();
    const s = createFrameScheduler(clock, 1);
    const drawn: string[] = [];
    // two charts, each 2 ms: with a 1 ms budget one draws per frame
    for (const name of ['a', 'b']) s.request({}, () => { drawn.push(name); clock.t += 2; });
    let idle = false;
    void s.whenIdle().then(() => { idle = true; });
    const settle = () => new Promise((r) => setTimeout(r, 5));
    clock.tick();
    await settle();
    expect([drawn, idle]).toEqual([['a'], false]);
    clock.tick();
    expect(drawn).toEqual(['a', 'b']);
    await settle();
    // the frame after the last drawing asks for nothing: only then, in a task after it, does it resolve
    expect(idle).toBe(false);
    clock.tick();
    expect(idle).toBe(false);
    await settle();
    expect(idle).toBe(true);
  });

  it('whenIdle(ready) waits, frame after frame, until ready() holds, then for what was asked for meanwhile', async () => {
    const clock = fakeClock();
    const s = createFrameScheduler(clock, 1);
    const drawn: string[] = [];
    // the page has not rendered the new state yet: nothing waits, but idle must not resolve
    let rendered = false;
    let idle = false;
    void s.whenIdle(() => rendered).then(() => { idle = true; });
    const settle = () => new Promise((r) => setTimeout(r, 5));
    clock.tick();
    await settle();
    expect(idle).toBe(false);
    // the render commits and its chart asks for a frame
    rendered = true;
    s.request({}, () => drawn.push('chart'));
    await settle();
    expect(idle).toBe(false);
    clock.tick();
    expect(drawn).toEqual(['chart']);
    // the check of that frame ran before the chart drew (it was asked for first); two quiet frames follow
    clock.tick();
    await settle();
    expect(idle).toBe(false);
    clock.tick();
    await settle();
    expect(idle).toBe(true);
  });
});
