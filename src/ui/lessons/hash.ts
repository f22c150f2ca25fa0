// The lesson's part of the URL hash: `lesson=NAME` rides along with the experiment (state.ts writes the
// rest), so a link can open a lesson with chosen controls hidden.

const KEY = 'lesson';

/** Takes `lesson=NAME` out of a hash; the rest goes to state.ts's parseHash unchanged. */
export function splitLessonHash(hash: string): { lesson: string | null; rest: string } {
  const body = hash.startsWith('#') ? hash.slice(1) : hash;
  let lesson: string | null = null;
  const rest: string[] = [];
  for (const part of body.split('&')) {
    if (part === '') continue;
    if (lesson === null && part.startsWith(`${KEY}=`)) {
      try {
        lesson = decodeURIComponent(part.slice(KEY.length + 1));
      } catch (e) {
        if (!(e instanceof URIError)) throw e;
        rest.push(part);
      }
    } else {
      rest.push(part);
    }
  }
  return { lesson, rest: `#${rest.join('&')}` };
}

/** A serialised experiment hash with the lesson added (or not, for null). */
export function withLesson(hash: string, lesson: string | null): string {
  if (lesson === null) return hash;
  const sep = hash === '#' || hash === '' ? '' : '&';
  return `${hash.startsWith('#') ? hash : `#${hash}`}${sep}${KEY}=${encodeURIComponent(lesson)}`;
}
