// Every guided lesson, in the order the lesson list offers them. `#lesson=NAME` opens one.
import { ACCURACY_LESSON } from './accuracy.ts';
import { FIXES_LESSON } from './fixes.ts';
import { MEMORY_LESSON } from './memory.ts';
import { PARALLEL_LESSON } from './parallel.ts';
import { SERVING_LESSON } from './serving.ts';
import { STALENESS_LESSON } from './staleness.ts';
import type { Lesson } from './types.ts';

export const LESSONS: readonly Lesson[] = [MEMORY_LESSON, STALENESS_LESSON, ACCURACY_LESSON, FIXES_LESSON, PARALLEL_LESSON, SERVING_LESSON];

export function findLesson(name: string): Lesson | undefined {
  return LESSONS.find((l) => l.name === name);
}

export type { Lesson, LessonStep } from './types.ts';
