/**
 * How long one household turn of the declaration takes, as a ratio to a Redis GET+SET round trip of the
 * same state blob measured in the same run. Run: REDIS_URL=redis://127.0.0.1:6379 npx tsx bench/declaration-turn.bench.ts
 */
import { performance } from 'node:perf_hooks';
import type { Address } from '../src/channel/messages.js';
import { openChatWorld } from '../test/helpers/chat-script.js';

const N = Number(process.env.BENCH_N ?? 300);
const ANSWERS = ['申报', '张德福', '430621195805121238', '13812345678', '1', '1', '1', '3', '1,3', '6', '老伴生病每月自付两千多元。', '是', '是'];

async function main(): Promise<void> {
  const world = await openChatWorld();
  const blob = 'x'.repeat(1200); // about the size of a sealed declaration state
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    await world.state.set(`bench:${i % 10}`, blob, 60_000);
    await world.state.get(`bench:${i % 10}`);
  }
  const baseline = (performance.now() - t0) / N;

  let turns = 0;
  const t1 = performance.now();
  for (let i = 0; turns < N; i++) {
    const from: Address = { channel: 'kf', openKfId: 'wkBench', externalUserId: `wmBench${i}` };
    // One household's declaration up to the review (no case written: the document store is not measured here).
    for (const text of ANSWERS) {
      await world.say(from, text);
      turns++;
    }
  }
  const turn = (performance.now() - t1) / turns;
  console.log(JSON.stringify({ store: process.env.REDIS_URL ? 'redis' : 'memory', turns, baselineMs: +baseline.toFixed(3), turnMs: +turn.toFixed(3), ratio: +(turn / baseline).toFixed(2) }));
  await world.close();
}

void main();
