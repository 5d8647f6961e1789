/**
 * The fan-out benchmark (issue 5): `npx tsx bench/run.ts` (`npm run bench`).
 *
 * W10 (uploads) is in the full run only: 20 MB files are not a smoke test's business; nor is W7
 * (Chromium on a throttled phone), whose figures are timings only. In a full
 * run W1, W4 and W5 run three times each, the targets interleaved inside each run and taking the
 * first turn in turns from run to run; the table shows the median of the runs and their spread.
 *
 * Starts three servers on loopback: (a) a bare Node `ws` broadcast server, (b) the floor Durable
 * Object Worker and the chat Worker, both in workerd through Miniflare's API
 * (bench/miniflare-server.ts; `--runner wrangler` for `wrangler dev`). Runs workloads W1–W5 against each,
 * prints a table (every timing also as a ratio to (b)) and writes the figures as JSON to
 * bench-results/. W6 counts what one typical chat costs on a metered chat server of its own
 * (bench/workloads/cost.ts); `--record-cost` writes its figure to bench/cost-recorded.json.
 * `--smoke` runs W3, W1, W4, W5, W6 and W8 small and fails only on lost or duplicated
 * messages, failed joins, idle objects that do not hibernate and a chat that costs more than 1.2×
 * the recorded figure, never on timings. `--only W1,W4`
 * and `--targets floor,chat` narrow a run down while working on something; `--chat-from REV` measures
 * the chat Worker of an earlier revision against today's floor (bench/snapshot.ts); `--disk` keeps the servers' state on disk rather
 * than in memory (see MEMORY_DISK in snapshot.ts). docs/performance.md explains the figures.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { stopOnInterrupt } from "./interrupt";
import { MEMORY_DISK, snapshotProject, snapshotRevision } from "./snapshot";
import type { Results } from "./report";
import { TARGET_ORDER, budgetChecks, correctnessChecks, saturationLadder, table } from "./report";
import { startChatTarget } from "./targets/chat-target";
import { startFloorTarget, startWsTarget } from "./targets/floor-target";
import type { Target, TargetName } from "./targets/target";
import { W3, W3_SMOKE, idleSessions } from "./workloads/idle-sessions";
import { W5, W5_SMOKE, joinStorm } from "./workloads/join-storm";
import { W4, W4_SMOKE, resume } from "./workloads/resume";
import { W2, saturation } from "./workloads/saturation";
import { W1, W1_SMOKE, steadyChat } from "./workloads/steady-chat";
import { W10, uploads } from "./workloads/uploads";
import { W8, W8_SMOKE, bigChannel } from "./workloads/big-channel";
import { W6, costPerChat } from "./workloads/cost";
import { costBreakdown } from "./metering/cost-table";
import { W7, phone } from "./workloads/phone";
import { phoneWaterfall } from "./workloads/phone-table";
import { costCheck, readRecordedCost, recordCost } from "./metering/recorded";

const WORKLOADS = ["W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8", "W10"] as const;
const RUNNERS = ["miniflare", "wrangler"] as const;
type Workload = (typeof WORKLOADS)[number];

const { values } = parseArgs({
	options: {
		smoke: { type: "boolean", default: false },
		disk: { type: "boolean", default: false },
		only: { type: "string" },
		targets: { type: "string" },
		runner: { type: "string", default: "miniflare" },
		"record-cost": { type: "boolean", default: false },
		"chat-from": { type: "string" },
	},
});

function listOption<T extends string>(value: string | undefined, allowed: readonly T[], fallback: readonly T[]): T[] {
	if (value === undefined) return [...fallback];
	const picked = value.split(",").map((v) => v.trim());
	const known = allowed.filter((a) => picked.includes(a));
	if (known.length !== picked.length) throw new Error(`unknown choice in "${value}": pick from ${allowed.join(", ")}`);
	return known;
}

const smoke = values.smoke;
const workloads = listOption<Workload>(values.only, WORKLOADS, smoke ? ["W3", "W1", "W4", "W5", "W6", "W8"] : WORKLOADS);
const targetNames = listOption<TargetName>(values.targets, TARGET_ORDER, TARGET_ORDER);
/** The order in which targets take turns inside each workload. */
const RUN_ORDER: TargetName[] = ["floor", "chat", "ws"];

const stateParent = values.disk ? undefined : MEMORY_DISK;
const runner = RUNNERS.find((r) => r === values.runner);
if (!runner) throw new Error(`--runner is one of ${RUNNERS.join(", ")}`);
const STARTERS: Record<TargetName, (projectDir: string) => Promise<Target>> = {
	ws: startWsTarget,
	floor: (dir) => startFloorTarget(dir, { stateParent, runner }),
	chat: (dir) => startChatTarget(dir, { stateParent, runner }),
};

function log(message: string): void {
	console.error(`[bench ${(performance.now() / 1000).toFixed(1)}s] ${message}`);
}

/** Workloads during which a server's processes changed (it crashed or reloaded): their figures mean nothing. */
const restarts: string[] = [];

function serverPids(target: Target): string {
	return target
		.processes()
		.map((p) => p.pid)
		.sort()
		.join(",");
}

/** Runs of each timed workload: three in a full run, so that one stall of the machine decides no verdict. */
const REPEATS = smoke ? 1 : 3;

/** Workloads that could not finish, with why: they fail the run, and the others still run. */
const broken: Array<{ workload: string; what: string; pass: boolean }> = [];

/** Runs a workload over all targets (they take turns inside it), noting any server that restarted meanwhile. */
async function workload<T>(name: Workload, what: string, targets: Target[], run: (targets: Target[]) => Promise<T>): Promise<T | undefined> {
	log(`${name} ${what}: ${targets.map((t) => t.name).join(", ")}`);
	const before = targets.map(serverPids);
	try {
		return await run(targets);
	} catch (error) {
		log(`${name} could not finish: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
		broken.push({ workload: name, what: `could not finish: ${error instanceof Error ? error.message : String(error)}`, pass: false });
		return undefined;
	} finally {
		for (const [i, target] of targets.entries()) {
			if (serverPids(target) === before[i]) continue;
			restarts.push(`${name} ${target.name}`);
			log(`WARNING: the ${target.name} server restarted during ${name}`);
		}
	}
}

/** A workload run REPEATS times; each run lets another target go first. */
async function repeated<T>(name: Workload, what: string, targets: Target[], run: (targets: Target[]) => Promise<T>): Promise<T[]> {
	const out: T[] = [];
	for (let i = 0; i < REPEATS; i++) {
		const order = [...targets.slice(i % targets.length), ...targets.slice(0, i % targets.length)];
		const result = await workload(name, `${what}, run ${i + 1} of ${REPEATS}`, order, run);
		if (result !== undefined) out.push(result);
	}
	return out;
}

async function main(): Promise<number> {
	const startedAt = new Date();
	const loadBefore = loadavg();
	const snapshot = snapshotProject();
	// The chat of another revision, if asked, served from a copy of its own (`--chat-from`).
	const chatSnapshot = values["chat-from"] ? snapshotRevision(values["chat-from"]) : snapshot;
	const removeSnapshots = () => {
		snapshot.remove();
		chatSnapshot.remove();
	};
	const running = new Set<Target>();
	stopOnInterrupt(running, removeSnapshots, log);
	/** Fresh servers for every target, in the order they take turns. */
	const startTargets = async (): Promise<Target[]> => {
		log(`starting ${targetNames.join(", ")} from a copy of the project in ${snapshot.dir}`);
		const started = await Promise.allSettled(
			targetNames.map(async (name) => {
				const target = await STARTERS[name](name === "chat" ? chatSnapshot.dir : snapshot.dir);
				running.add(target);
				return target;
			}),
		);
		const failed = started.find((s) => s.status === "rejected");
		if (failed?.status === "rejected") throw failed.reason;
		const targets = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
		return RUN_ORDER.flatMap((name) => targets.filter((t) => t.name === name));
	};
	const stopTargets = async (): Promise<void> => {
		await Promise.all([...running].map((t) => t.stop()));
		running.clear();
	};
	const results: Results = {};
	try {
		let ordered = await startTargets();
		if (workloads.includes("W3")) {
			// W3 first, on fresh servers, so that its memory figures are not mixed with the other
			// workloads' garbage; then fresh servers again, so that the others are not timed while
			// the runtime evicts W3's 500 sessions or with its memory still taken.
			results.W3 = await workload("W3", "idle sessions", ordered, (t) => idleSessions(t, smoke ? W3_SMOKE : W3));
			if (workloads.some((w) => w !== "W3")) {
				await stopTargets();
				ordered = await startTargets();
			}
		}
		if (workloads.includes("W1")) results.W1 = await repeated("W1", "steady chat", ordered, (t) => steadyChat(t, smoke ? W1_SMOKE : W1));
		if (workloads.includes("W2")) results.W2 = await workload("W2", "saturation", ordered, (t) => saturation(t, W2));
		if (workloads.includes("W4")) results.W4 = await repeated("W4", "resume", ordered, (t) => resume(t, smoke ? W4_SMOKE : W4));
		if (workloads.includes("W5")) results.W5 = await repeated("W5", "join storm", ordered, (t) => joinStorm(t, smoke ? W5_SMOKE : W5));
		// On a chat server of its own with metering on (bench/workloads/cost.ts); always through Miniflare, whose tail Worker counts invocations.
		if (workloads.includes("W6")) results.W6 = await workload("W6", "cost per chat", [], () => costPerChat(snapshot.dir, stateParent, W6));
		const chat = ordered.find((t) => t.name === "chat");
		if (workloads.includes("W7") && chat) results.W7 = await workload("W7", "the customer on a phone", [chat], ([t]) => (t ? phone(t, W7) : Promise.reject(new Error("no chat target"))));
		if (workloads.includes("W8")) results.W8 = await repeated("W8", "big channel", ordered, (t) => bigChannel(t, smoke ? W8_SMOKE : W8));
		if (workloads.includes("W10")) results.W10 = await workload("W10", "uploads", ordered, (t) => uploads(t, W10));
	} finally {
		await stopTargets();
		removeSnapshots();
	}

	if (values["record-cost"] && results.W6) {
		if (smoke) throw new Error("--record-cost records a full run's figure: leave out --smoke");
		recordCost(results.W6, startedAt);
	}
	const recordedCost = readRecordedCost();
	const correctness = [...correctnessChecks(results), ...(results.W6 ? [costCheck(results.W6, recordedCost)] : []), ...broken, ...restarts.map((r) => ({ workload: r, what: "the server restarted: figures invalid", pass: false }))];
	const budget = smoke ? [] : budgetChecks(results, recordedCost);
	const shown = TARGET_ORDER.filter((t) => targetNames.includes(t));
	const machine = { cores: cpus().length, cpu: cpus()[0]?.model ?? "unknown", memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform };
	const load = { before: loadBefore, after: loadavg() };
	const seconds = performance.now() / 1000;

	console.log(`\nFan-out benchmark, ${smoke ? "smoke" : "full"} run, ${startedAt.toISOString()}, ${machine.cores} cores (${machine.cpu}), Node ${machine.node}`);
	if (values["chat-from"]) console.log(`The chat Worker is revision ${values["chat-from"]}'s; the bench, the floor and the dependencies are today's.`);
	console.log(`Workers under ${runner === "miniflare" ? "workerd through Miniflare's API" : "wrangler dev"}; state ${stateParent ? `in memory (${stateParent})` : "on disk"}; load average before ${load.before.map((l) => l.toFixed(2)).join(" ")}, after ${load.after.map((l) => l.toFixed(2)).join(" ")}; ${seconds.toFixed(0)} s\n`);
	console.log(table(results, shown, !smoke, recordedCost));
	if (results.W6) console.log(`\n${costBreakdown(results.W6)}`);
	if (results.W7) console.log(`\n${phoneWaterfall(results.W7)}`);
	if (results.W2) console.log(`\n${saturationLadder(results, shown)}`);
	const failures = [...correctness, ...budget].filter((c) => !c.pass);
	for (const check of failures) console.log(`${correctness.includes(check) ? "FAILED" : "budget not met"}: ${check.workload} ${check.what}`);

	mkdirSync("bench-results", { recursive: true });
	const file = join("bench-results", `bench-${smoke ? "smoke-" : ""}${startedAt.toISOString().replace(/[:.]/g, "-")}.json`);
	writeFileSync(file, `${JSON.stringify({ date: startedAt.toISOString(), mode: smoke ? "smoke" : "full", runner, machine, state: stateParent ?? "disk", load, seconds, workloads, results, checks: { correctness, budget }, restarts }, null, "\t")}\n`);
	console.log(`\nresults written to ${file}`);
	return correctness.every((c) => c.pass) ? 0 : 1;
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		console.error(error);
		process.exit(2);
	},
);
