/**
 * Where the chat Worker spends its time: runs one workload against it with V8's sampling profiler
 * attached through workerd's devtools port (under the bench's runner, bench/miniflare-server.ts),
 * prints the functions with the most self time, and writes the profile to bench-results/ (open it
 * in Chrome devtools, Performance tab).
 *
 *   npx tsx bench/profile.ts                  # W1, steady chat
 *   npx tsx bench/profile.ts --workload W3    # W3, first messages to hibernated sessions
 *   npx tsx bench/profile.ts --workload W4    # W4, resumes (the socket's cost beside its replay)
 *   npx tsx bench/profile.ts --workload W5    # W5, join storm
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { freePort } from "../test/support/dev-server";
import { connectDevTools } from "./devtools";
import { stopOnInterrupt } from "./interrupt";
import { MEMORY_DISK, snapshotProject } from "./snapshot";
import { startChatTarget } from "./targets/chat-target";
import type { Target } from "./targets/target";
import { BenchSocket } from "./client";
import { Ledger } from "./ledger";
import { paceEvenly, sleep } from "./pace";
import { closeRooms, openRooms } from "./rooms";
import { W3 } from "./workloads/idle-sessions";
import { W5, prepareJoins, storm } from "./workloads/join-storm";
import { SteadyRun } from "./workloads/phase";
import { W1 } from "./workloads/steady-chat";

const ProfileSchema = z.object({
	nodes: z.array(
		z.object({
			id: z.number(),
			callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }),
		}),
	),
	samples: z.array(z.number()),
	timeDeltas: z.array(z.number()),
});
const PROFILED = ["W1", "W3", "W4", "W5"] as const;
/** W4: this many resumes of one participant, one after the other, each a socket opened and closed. */
const RESUMES = 300;
const { values } = parseArgs({ options: { workload: { type: "string", default: "W1" } } });
const workload = PROFILED.find((w) => w === values.workload);
if (!workload) throw new Error(`--workload is one of ${PROFILED.join(", ")}`);
const snapshot = snapshotProject();
const inspectorPort = await freePort();
const running = new Set<Target>();
stopOnInterrupt(running, snapshot.remove);
const target = await startChatTarget(snapshot.dir, { inspectorPort, stateParent: MEMORY_DISK, runner: "miniflare" });
running.add(target);
try {
	const tools = await connectDevTools(inspectorPort);
	await tools.call("Profiler.enable");
	await tools.call("Profiler.setSamplingInterval", { interval: 200 });
	// Only the timed part of the workload is profiled, not its setup.
	if (workload === "W5") {
		const prepared = await prepareJoins(W5.joins, () => target.prepareJoin());
		await tools.call("Profiler.start");
		await storm(target, prepared, W5.withinMs, [], []);
	} else if (workload === "W4") {
		// What a resume costs besides its events: the replay here is the room's few joins.
		const rooms = await openRooms(target, 1, 2);
		const address = rooms.addresses[0]?.[0];
		if (!address) throw new Error("the resume room has no participants");
		await rooms.sockets[0]?.[0]?.close();
		await tools.call("Profiler.start");
		for (let i = 0; i < RESUMES; i++) await (await BenchSocket.open(address, 0)).close();
		await closeRooms(rooms);
	} else if (workload === "W3") {
		const rooms = await openRooms(target, W3.rooms, 2);
		await sleep(W3.idleMs);
		await tools.call("Profiler.start");
		const ledger = new Ledger("profile", rooms.sockets);
		await paceEvenly(W3.rooms, W3.wakeRate, (j) => ledger.send(j, 0));
		await ledger.drain(30_000);
		await closeRooms(rooms);
	} else {
		const rooms = await openRooms(target, W1.rooms, W1.participants);
		await tools.call("Profiler.start");
		await new SteadyRun(target, rooms.sockets, "profile").turn(W1.rooms * W1.participants * W1.ratePerParticipant, W1.seconds, 15_000);
		await closeRooms(rooms);
	}
	const { profile } = z.object({ profile: z.unknown() }).parse(await tools.call("Profiler.stop"));
	tools.close();
	const parsed = ProfileSchema.parse(profile);

	const byNode = new Map(parsed.nodes.map((n) => [n.id, n.callFrame]));
	const self = new Map<string, number>();
	let total = 0;
	parsed.samples.forEach((id, i) => {
		const frame = byNode.get(id);
		const ms = (parsed.timeDeltas[i] ?? 0) / 1000;
		total += ms;
		const key = frame ? `${frame.functionName || "(anonymous)"} ${frame.url.split("/").slice(-2).join("/")}:${frame.lineNumber + 1}` : "?";
		self.set(key, (self.get(key) ?? 0) + ms);
	});
	console.log(`self time by function, ${total.toFixed(0)} ms sampled:`);
	for (const [key, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`${ms.toFixed(0).padStart(7)} ms ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
	mkdirSync("bench-results", { recursive: true });
	const file = join("bench-results", `chat-${workload}-${Date.now()}.cpuprofile`);
	writeFileSync(file, JSON.stringify(profile));
	console.log(`profile written to ${file}`);
} finally {
	await target.stop();
	snapshot.remove();
}
