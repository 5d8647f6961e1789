/**
 * W9, the directory at scale (issue 16): `npm run bench:directory`. For 1, 2 and 4 directory
 * shards (DIRECTORY_SHARDS, src/directory/shards.ts), each on a fresh chat Worker through
 * Miniflare, joins arrive at rising rates (the HTTP join by support key, the WebSocket, until the
 * state frame), each from an address of its own; the highest rate whose p99 stays ≤ 100 ms is
 * that shard count's figure. Writes bench-results/directory-*.json. docs/architecture.md turns
 * the figures into shard counts for a deployment.
 *
 * Locally every object of the Worker runs on one workerd thread, so more shards cannot add
 * capacity here: the run shows that sharding costs a join nothing it can feel (the queue's report
 * is one more call, off the join's path), not what shards gain on separate machines.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { JoinedSchema } from "../src/shared/api";
import { startDevServer } from "../test/support/dev-server";
import { BenchSocket } from "./client";
import { inPool, sleep } from "./pace";
import { summarize } from "./stats";
import { AGENT_TOKENS, chatApi, nextAddress } from "./targets/chat-api";

const SHARD_COUNTS = [1, 2, 4];
/** Joins a second, stepped up until p99 passes the line. */
const RATES = [25, 50, 75, 100, 150, 200, 300];
const STEP_SECONDS = 2;
const P99_LIMIT_MS = 100;

interface Step {
	rate: number;
	joins: number;
	p50: number;
	p99: number;
	failures: number;
}

async function measure(shards: number): Promise<Step[]> {
	const server = await startDevServer({ runner: "miniflare", vars: { AGENT_TOKENS, DIRECTORY_SHARDS: String(shards) } });
	const api = chatApi(server.url);
	const steps: Step[] = [];
	try {
		for (const rate of RATES) {
			const count = rate * STEP_SECONDS;
			// The untimed part: the sessions and their keys exist before the customers come.
			const started = await inPool(count, 8, () => api.newSession());
			const times: number[] = [];
			const sockets: BenchSocket[] = [];
			let failures = 0;
			const begin = performance.now();
			await Promise.all(
				started.map(async (session, i) => {
					await sleep(Math.max(0, begin + (i * 1000) / rate - performance.now()));
					const t0 = performance.now();
					try {
						const joined = await api.post("/api/join", JoinedSchema, { supportKey: session.supportKey }, { address: nextAddress() });
						sockets.push(await BenchSocket.open(api.socketOf(joined), 0));
						times.push(performance.now() - t0);
					} catch {
						failures += 1;
					}
				}),
			);
			await Promise.all(sockets.map((s) => s.close()));
			const summary = summarize(times);
			steps.push({ rate, joins: times.length, p50: summary.p50, p99: summary.p99, failures });
			console.log(`  ${shards} shard(s), ${rate} joins/s: p50 ${summary.p50.toFixed(1)} ms, p99 ${summary.p99.toFixed(1)} ms, ${failures} failed`);
			if (summary.p99 > P99_LIMIT_MS || failures > 0) break;
		}
	} finally {
		await server.stop();
	}
	return steps;
}

const results: Record<number, Step[]> = {};
for (const shards of SHARD_COUNTS) results[shards] = await measure(shards);

console.log("\nW9, joins a second with p99 ≤ 100 ms (HTTP join + socket + state frame):");
console.log("| shards | highest rate | p50 there | p99 there |");
console.log("|---|---|---|---|");
for (const shards of SHARD_COUNTS) {
	const within = (results[shards] ?? []).filter((s) => s.p99 <= P99_LIMIT_MS && s.failures === 0);
	const best = within.at(-1);
	console.log(best ? `| ${shards} | ${best.rate}/s | ${best.p50.toFixed(1)} ms | ${best.p99.toFixed(1)} ms |` : `| ${shards} | below ${RATES[0]}/s | – | – |`);
}
mkdirSync("bench-results", { recursive: true });
const file = join("bench-results", `directory-${Date.now()}.json`);
writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), results }, null, 2));
console.log(`\nwritten to ${file}`);
