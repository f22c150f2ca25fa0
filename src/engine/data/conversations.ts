import { Rng } from '../util/rng.ts';
import { emptyEvents, exponential, gaussian, type GeneratedEvents } from './generator.ts';

/**
 * Seeded chat stream ("conversations", the playground's default): a fixed group of people, and at any
 * moment a few pairs of them are chatting. A chat is a run of messages that go back and forth between its
 * two people (a reply goes to whoever wrote last); each message ends the chat with probability
 * 1 / meanMessagesPerChat, and then both people are free again and a new chat starts between two free
 * people drawn uniformly at random (a person is in at most one chat at a time). Messages of the open
 * chats interleave in one stream, one message per Poisson tick.
 *
 * Why it teaches staleness: who writes to whom next is decided by the chat a person is in NOW, not by
 * who they chatted with most in the past. A model learns it only through node memory and recent
 * neighbours that are up to date; with the defaults a chat lives for about
 * concurrentChats × meanMessagesPerChat = 320 events of the whole stream, far longer than a batch of 50
 * events and far shorter than a batch of 2000, so at B = 2000 the memory read by most events predates
 * their chat. EdgeBank, which says "yes" for any pair seen before, is fooled by old partners: over the
 * stream everyone has chatted with many others, and random negatives hit those old partners.
 *
 * The one edge feature is a noisy "goodbye" cue: about 0.8 on a chat's last message, about 0.2 on the
 * others (Gaussian noise, clipped to [0, 1]); it tells a memory that its person is free again, but not
 * who they will chat with next. Node ids are 0..numPeople−1; times are whole seconds from 0.
 */
export interface ConversationConfig {
  numPeople: number;
  /** exact number of events (messages) emitted */
  numEvents: number;
  /** pairs chatting at any moment; needs numPeople ≥ 2 · concurrentChats */
  concurrentChats: number;
  /** mean messages per chat (geometric, at least 1) */
  meanMessagesPerChat: number;
  /** mean gap between consecutive messages of the whole stream, seconds (exponential) */
  meanGapSeconds: number;
  /** chance that a message answers the previous one of its chat (else either person writes) */
  replyProbability: number;
  /** standard deviation of the noise on the goodbye cue (0: exactly 0.8 / 0.2) */
  cueNoise: number;
}

export const CONVERSATIONS_DEFAULTS = {
  numPeople: 80,
  numEvents: 30_000,
  concurrentChats: 8,
  meanMessagesPerChat: 40,
  meanGapSeconds: 30,
  replyProbability: 0.6,
  cueNoise: 0.1,
} as const satisfies ConversationConfig;

function validate(c: ConversationConfig): void {
  for (const k of ['numPeople', 'numEvents', 'concurrentChats'] as const) {
    if (!Number.isInteger(c[k]) || c[k] < 1) throw new Error(`conversations: expected ${k} to be a positive integer, got ${c[k]}`);
  }
  if (c.numPeople < 2 * c.concurrentChats) {
    throw new Error(`conversations: ${c.concurrentChats} chats need at least ${2 * c.concurrentChats} people, got ${c.numPeople}`);
  }
  if (!(c.meanMessagesPerChat >= 1)) throw new Error(`conversations: expected meanMessagesPerChat >= 1, got ${c.meanMessagesPerChat}`);
  if (!(c.meanGapSeconds > 0)) throw new Error(`conversations: expected meanGapSeconds > 0, got ${c.meanGapSeconds}`);
  if (!(c.replyProbability >= 0 && c.replyProbability <= 1)) {
    throw new Error(`conversations: expected replyProbability in [0, 1], got ${c.replyProbability}`);
  }
  if (!(c.cueNoise >= 0)) throw new Error(`conversations: expected cueNoise >= 0, got ${c.cueNoise}`);
}

interface Chat {
  a: number;
  b: number;
  /** who wrote the chat's last message, −1 before the first */
  lastSender: number;
}

/** Generates the chat stream (times non-decreasing). Same config and seed give the same events. */
export function generateConversations(config: ConversationConfig, seed: number): GeneratedEvents {
  validate(config);
  const c = config;
  const rng = new Rng(seed);
  const busy = new Uint8Array(c.numPeople);
  // at least half the people are free whenever a chat starts, so rejection sampling ends quickly
  const freePerson = (): number => {
    for (;;) {
      const v = rng.int(c.numPeople);
      if (!busy[v]) {
        busy[v] = 1;
        return v;
      }
    }
  };
  const startChat = (): Chat => ({ a: freePerson(), b: freePerson(), lastSender: -1 });
  const chats: Chat[] = Array.from({ length: c.concurrentChats }, startChat);

  const n = c.numEvents;
  const out = emptyEvents(n);
  const seen = new Uint8Array(c.numPeople);
  let clock = 0;
  for (let e = 0; e < n; e++) {
    clock += exponential(rng, c.meanGapSeconds);
    const slot = rng.int(chats.length);
    const chat = chats[slot]!;
    const sender = chat.lastSender >= 0 && rng.next() < c.replyProbability
      ? (chat.lastSender === chat.a ? chat.b : chat.a)
      : (rng.next() < 0.5 ? chat.a : chat.b);
    const receiver = sender === chat.a ? chat.b : chat.a;
    chat.lastSender = sender;
    const goodbye = rng.next() < 1 / c.meanMessagesPerChat;
    const cue = (goodbye ? 0.8 : 0.2) + (c.cueNoise > 0 ? c.cueNoise * gaussian(rng) : 0);
    out.src[e] = sender;
    out.dst[e] = receiver;
    out.tSeconds[e] = Math.floor(clock);
    out.feat[e] = Math.min(1, Math.max(0, cue));
    seen[sender] = 1;
    seen[receiver] = 1;
    if (goodbye) {
      busy[chat.a] = 0;
      busy[chat.b] = 0;
      chats[slot] = startChat();
    }
  }
  out.numNodes = seen.reduce((s, x) => s + x, 0);
  return out;
}
