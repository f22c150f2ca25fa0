// Writes the bundled synthetic streams and index.json (the conversations stream first: the page's
// default): `npx tsx scripts/generate-datasets.ts`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENERATOR_PRESETS, eventsToCsv, generateEvents, type GeneratorPresetName } from '../src/engine/data/generator.ts';
import { CONVERSATIONS_DEFAULTS, generateConversations } from '../src/engine/data/conversations.ts';

const SEED = 20240601;
const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'datasets');

// the user–item generator's presets that ship: only the small one (a quick first run; the e2e tests' stream);
// 'medium' stays a generator preset for tests and the CLI, not a bundled file
const BUNDLED_PRESETS: readonly GeneratorPresetName[] = ['small'];
const descriptions: Partial<Record<GeneratorPresetName, string>> = {
  small:
    'Synthetic user–item sessions (seeded): users with drifting community preferences, bursts of repeated ' +
    'interactions, late-arriving users and items. One edge feature (affinity). Good for a quick run.',
};

mkdirSync(outDir, { recursive: true });
const index = [];

{
  const c = CONVERSATIONS_DEFAULTS;
  const events = generateConversations(c, SEED);
  const csv = eventsToCsv(events);
  const file = 'conversations.csv';
  writeFileSync(join(outDir, file), csv);
  index.push({
    name: 'conversations',
    file,
    description:
      `Chat app (seeded): ${c.numPeople} people; at any moment ${c.concurrentChats} pairs are chatting. Messages go back ` +
      `and forth (about ${c.meanMessagesPerChat} per chat), then both leave and later start new chats with people picked ` +
      'at random. Who writes to whom next depends on the chat a person is in now, so fresh node memory predicts it ' +
      'and stale memory (large batches) does not; counting old pairs does not either. One edge feature: a noisy ' +
      "'goodbye' cue, high on a chat's last message.",
    events: events.numEvents,
    nodes: events.numNodes,
    seed: SEED,
    generator: 'conversations',
  });
  console.log(`${file}: ${events.numEvents} events, ${events.numNodes} nodes, ${(csv.length / 1024).toFixed(0)} KiB`);
}
for (const name of BUNDLED_PRESETS) {
  const events = generateEvents(GENERATOR_PRESETS[name], SEED);
  const csv = eventsToCsv(events);
  const file = `synthetic-${name}.csv`;
  writeFileSync(join(outDir, file), csv);
  index.push({
    name: `synthetic-${name}`,
    file,
    description: descriptions[name] ?? `Synthetic user–item sessions (seeded), preset ${name}.`,
    events: events.numEvents,
    nodes: events.numNodes,
    seed: SEED,
    preset: name,
  });
  console.log(`${file}: ${events.numEvents} events, ${events.numNodes} nodes, ${(csv.length / 1024).toFixed(0)} KiB`);
}
writeFileSync(join(outDir, 'index.json'), JSON.stringify(index, null, 2) + '\n');
console.log(`wrote ${join(outDir, 'index.json')}`);
