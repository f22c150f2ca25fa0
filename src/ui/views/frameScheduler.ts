// One requestAnimationFrame loop draws every chart. A chart asks for a redraw with its latest data; a
// request made while an older one still waits replaces it (the older data is never drawn: frames are
// dropped when drawing falls behind) and keeps its place in line. Each frame draws waiting charts, oldest
// request first, until a time budget is spent; the rest wait for the next frame, so one frame never
// carries every chart's redraw and the main thread stays free for input. A chart's last draw time is its
// expected cost: a frame that has drawn something starts no job it expects to take it past the budget (a
// 12-ms chart after a 4-ms one would make a 16-ms frame, which a busy core stretches into a long task).
// This holds while training plays (`deferring`); otherwise a redraw happens at once, so a step or a
// changed control shows in the same frame.

/** ms of drawing per frame before the rest wait for the next one (at least one chart draws per frame) */
export const FRAME_BUDGET_MS = 5;

/** frames in a row with nothing to draw before whenIdle resolves */
const QUIET_FRAMES = 2;

export interface FrameScheduler {
  /** draw `job` on a coming frame, replacing what `key` asked for before */
  request(key: object, job: () => void): void;
  cancel(key: object): void;
  /** runs every waiting request now */
  flush(): void;
  /** requests waiting for a frame */
  readonly pending: number;
  /**
   * resolves once `ready()` holds (default: at once), nothing waits any more, a further frame asked for
   * nothing either, and that frame has been rendered; `ready` says when what is to be drawn has reached the charts (React
   * renders a snapshot as a transition, in slices, so its charts ask for frames some tasks later)
   */
  whenIdle(ready?: () => boolean): Promise<void>;
  /** true while updates stream in (training plays): charts then request frames instead of drawing at once */
  deferring: boolean;
}

export interface SchedulerClock {
  now(): number;
  requestFrame(f: () => void): void;
}

const browserClock: SchedulerClock = {
  now: () => performance.now(),
  requestFrame: (f) => {
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => f());
    else setTimeout(f, 16);
  },
};

export function createFrameScheduler(clock: SchedulerClock = browserClock, budgetMs = FRAME_BUDGET_MS): FrameScheduler {
  const waiting = new Map<object, () => void>();
  /** ms each key's last job took */
  const cost = new WeakMap<object, number>();
  let scheduled = false;
  const run = (): void => {
    scheduled = false;
    const start = clock.now();
    let drew = false;
    // what is asked for while this frame draws (a chart's next part) waits for the next frame
    for (const [key, job] of [...waiting]) {
      if (waiting.get(key) !== job) continue;
      const before = clock.now();
      if (drew && before - start + (cost.get(key) ?? 0) > budgetMs) continue;
      waiting.delete(key);
      job();
      drew = true;
      const after = clock.now();
      cost.set(key, after - before);
      if (after - start >= budgetMs) break;
    }
    if (waiting.size > 0) schedule();
  };
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    clock.requestFrame(run);
  };
  return {
    deferring: false,
    request(key, job) {
      waiting.set(key, job);
      schedule();
    },
    cancel(key) {
      waiting.delete(key);
    },
    flush() {
      for (const [key, job] of waiting) {
        waiting.delete(key);
        job();
      }
    },
    get pending() {
      return waiting.size;
    },
    whenIdle(ready = () => true) {
      return new Promise<void>((resolve) => {
        // frame callbacks run in the order asked for, so this runs after the frame's own drawing; the
        // timeout lets that frame's style, layout and paint finish before resolving
        // two quiet frames in a row: an answer that has just arrived is rendered by React a task or two
        // later, and only then does its chart ask for a frame
        let quiet = 0;
        const check = (): void => {
          quiet = waiting.size === 0 && ready() ? quiet + 1 : 0;
          if (quiet >= QUIET_FRAMES) setTimeout(resolve, 0);
          else clock.requestFrame(check);
        };
        clock.requestFrame(check);
      });
    },
  };
}

/** the page's one scheduler */
export const frames: FrameScheduler = createFrameScheduler();
