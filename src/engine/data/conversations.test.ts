import { describe, expect, it } from 'vitest';
import { CONVERSATIONS_DEFAULTS, generateConversations, type ConversationConfig } from './conversations.ts';
import { eventsToCsv } from './generator.ts';

const tiny: ConversationConfig = {
  numPeople: 6,
  numEvents: 400,
  concurrentChats: 2,
  meanMessagesPerChat: 5,
  meanGapSeconds: 10,
  replyProbability: 1,
  cueNoise: 0,
};

describe('generateConversations', () => {
  it('gives the same bytes for a seed and different bytes for another seed', () => {
    const a = eventsToCsv(generateConversations(CONVERSATIONS_DEFAULTS, 7));
    expect(eventsToCsv(generateConversations(CONVERSATIONS_DEFAULTS, 7))).toBe(a);
    expect(eventsToCsv(generateConversations(CONVERSATIONS_DEFAULTS, 8))).not.toBe(a);
  });

  it('emits exactly numEvents messages between distinct people, in time order, with the cue in [0, 1]', () => {
    const ev = generateConversations(CONVERSATIONS_DEFAULTS, 3);
    expect(ev.numEvents).toBe(30_000);
    expect(ev.src.length).toBe(30_000);
    const ids = new Set<number>();
    const bad: string[] = [];
    for (let i = 0; i < ev.numEvents; i++) {
      const [s, d, t, f] = [ev.src[i]!, ev.dst[i]!, ev.tSeconds[i]!, ev.feat[i]!];
      if (!(s !== d && s >= 0 && s < 80 && d >= 0 && d < 80)) bad.push(`event ${i}: ${s} → ${d}`);
      if (!(Number.isInteger(t) && t >= (i > 0 ? ev.tSeconds[i - 1]! : 0))) bad.push(`event ${i}: t ${t}`);
      if (!(f >= 0 && f <= 1)) bad.push(`event ${i}: cue ${f}`);
      ids.add(s).add(d);
    }
    expect(bad.slice(0, 5)).toEqual([]);
    // 30 000 gaps of mean 30 s: the last message near 900 000 s (sd about 0.6 %)
    expect(Math.abs(ev.tSeconds[ev.numEvents - 1]! / 900_000 - 1)).toBeLessThan(0.05);
    expect(ev.numNodes).toBe(ids.size);
    expect(ev.numNodes).toBe(80);
    const csv = eventsToCsv(ev);
    expect(csv.startsWith('src,dst,t,feat\n')).toBe(true);
    expect(csv.trimEnd().split('\n').length).toBe(30_001);
  });

  it('keeps each person in one chat at a time: a pair repeats until its goodbye, and replies alternate', () => {
    // without cue noise a goodbye is exactly 0.8 and every other message 0.2; with replyProbability 1 each
    // message of a chat answers the previous one, so the sender alternates
    const ev = generateConversations(tiny, 11);
    const partner = new Int32Array(tiny.numPeople).fill(-1);
    const lastSender = new Int32Array(tiny.numPeople).fill(-1);
    let goodbyes = 0;
    for (let i = 0; i < ev.numEvents; i++) {
      const s = ev.src[i]!;
      const d = ev.dst[i]!;
      const f = ev.feat[i]!;
      expect([0.2, 0.8].map((x) => Math.fround(x))).toContain(f);
      // a person already in a chat writes only to (and hears only from) that chat's partner
      expect(partner[s] === -1 || partner[s] === d, `event ${i}: ${s} is chatting with ${partner[s]}, wrote to ${d}`).toBe(true);
      expect(partner[d] === -1 || partner[d] === s, `event ${i}: ${d} is chatting with ${partner[d]}, heard from ${s}`).toBe(true);
      if (partner[s] === d) expect(lastSender[s], `event ${i}: ${s} wrote twice in a row`).not.toBe(s);
      if (f > 0.5) {
        goodbyes++;
        partner[s] = partner[d] = lastSender[s] = lastSender[d] = -1;
      } else {
        partner[s] = d;
        partner[d] = s;
        lastSender[s] = lastSender[d] = s;
      }
    }
    // two chats of ~5 messages over 400 messages: about 80 goodbyes
    expect(goodbyes).toBeGreaterThan(40);
    expect(goodbyes).toBeLessThan(160);
  });

  it('with 4 people and 2 chats, the two pairs never change (a goodbye frees only the pair that said it)', () => {
    const ev = generateConversations({ ...tiny, numPeople: 4 }, 5);
    const pairs = new Set<string>();
    for (let i = 0; i < ev.numEvents; i++) pairs.add([ev.src[i]!, ev.dst[i]!].sort().join('-'));
    expect(pairs.size).toBe(2);
    const people = [...pairs].flatMap((k) => k.split('-'));
    expect(new Set(people).size).toBe(4);
  });

  it('rejects a config with too few people for its chats', () => {
    expect(() => generateConversations({ ...tiny, numPeople: 3 }, 1)).toThrow(/at least 4 people/);
  });
});
