/**
 * W3, idle sessions: 500 sessions with 2 connected participants each, left idle long enough for
 * the runtime to hibernate them (workerd evicts an object after 10 s without events; hibernatable
 * WebSockets stay open). Measures the server's resident memory before, once the sessions are set
 * up, once connected, after the idle time and after one message per session; and the
 * send→receive time of that first message.
 * Then, with every object just woken, it counts the rooms' objects alive in the Worker's isolate,
 * waits the same idle time and counts again (bench/live-objects.ts): the chat's objects cannot be
 * asked from outside without waking them. The baselines can also say which instance of a room's
 * object answers, which counts their evictions a second way.
 *
 * Meanwhile one other session keeps chatting, as some always do in a deployment: when the whole
 * runtime has been idle, the first event afterwards pays a one-time warm-up of the runtime (about
 * 100 ms here, docs/performance.md), which is not the cost of waking one session.
 */
import { Ledger } from "../ledger";
import type { Tally } from "../ledger";
import { paceEvenly, sleep } from "../pace";
import type { ProcessStats } from "../process-stats";
import { serverCpuMs, serverRss, totalRss } from "../process-stats";
import type { Rooms } from "../rooms";
import { closeRooms, connectRooms, openRooms, setUpRooms } from "../rooms";
import type { Summary } from "../stats";
import { summarize } from "../stats";
import type { Target, TargetName } from "../targets/target";

export interface IdleOptions {
	rooms: number;
	/** How long everything stays quiet. */
	idleMs: number;
	/** First messages per second after the idle time, per target: objects wake one after another, not all at once. */
	wakeRate: number;
}

export const W3: IdleOptions = { rooms: 500, idleMs: 15_000, wakeRate: 100 };
/** For CI: few sessions, but the same idle time, which is what the runtime's eviction goes by. */
export const W3_SMOKE: IdleOptions = { rooms: 20, idleMs: 15_000, wakeRate: 100 };

/**
 * Whether the rooms' objects hibernated: only the session that kept chatting is still alive, and
 * more than it were seen awake (so the count sees the objects at all; the first ones woken may
 * have gone again before they were counted). Null where there is no isolate to look in.
 */
export function hibernated(result: IdleResult): boolean | null {
	const live = result.liveObjects;
	return live ? live.awake > 1 && live.asleep <= 1 : null;
}

/** The other session's pace while the 500 idle: one message every 200 ms. */
const BACKGROUND_INTERVAL_MS = 200;

export interface MemoryPoint {
	/** The server proper: the runtime workerd, or the ws baseline's process. */
	serverBytes: number;
	/** Of which the Worker's JavaScript heap, where devtools can tell. */
	heapBytes: number | null;
	/** With wrangler's development proxy, which holds a copy of every connection. */
	totalBytes: number;
	processes: ProcessStats[];
}

export interface IdleResult {
	rooms: number;
	idleMs: number;
	memory: { before: MemoryPoint; setUp: MemoryPoint; connected: MemoryPoint; idle: MemoryPoint; woken: MemoryPoint };
	/** Server memory added by the idle sessions: the largest of connected, idle and woken, minus before. */
	addedBytes: number;
	/** Of which taken while the sessions were set up, before anyone connected: size + 2 HTTP requests a session for the chat (case, session, joins) and the floor alike. */
	setUpBytes: number;
	/** Added from the moment setup was done: the sockets, the idle time and the wakes. */
	afterSetUpBytes: number;
	/** The same, counting wrangler's development proxy too. */
	addedWithProxyBytes: number;
	/** JavaScript heap added by the sessions once connected: what the Worker's own objects take. */
	addedHeapBytes: number | null;
	/** Rooms whose object answered as a new instance after the idle time (baselines only). */
	evicted: { rooms: number; of: number } | null;
	/**
	 * The rooms' objects alive in the Worker's isolate (heap snapshots): just after the first
	 * messages, and the same idle time later. The session that kept chatting stays alive. Null where
	 * there is no isolate to ask (the ws baseline).
	 */
	liveObjects: { awake: number; asleep: number; afterMs: number } | null;
	firstMessage: Summary;
	/** CPU time the server spent per first message: waking the object included (and the background session's share). */
	serverCpuMsPerWake: number;
	tally: Tally;
	/** Deliveries in the session that kept chatting meanwhile. */
	background: Tally;
}

interface Idler {
	target: Target;
	rooms: Rooms;
	busy: Rooms;
	background: Ledger;
	before: MemoryPoint;
	setUp: MemoryPoint;
	connected: MemoryPoint;
	instances: string[] | null;
	quietSince: number;
}

async function memoryOf(target: Target): Promise<MemoryPoint> {
	const processes = target.processes();
	return { serverBytes: serverRss(processes), heapBytes: await target.heapUsedBytes(), totalBytes: totalRss(processes), processes };
}

async function probeAll(rooms: Rooms): Promise<string[]> {
	return Promise.all(rooms.sockets.map(([first]) => (first ? first.probe() : Promise.resolve(""))));
}

/** Every target connects its sessions, all stay quiet together, then they wake in turns. */
export async function idleSessions(targets: Target[], options: IdleOptions): Promise<Partial<Record<TargetName, IdleResult>>> {
	const idlers: Idler[] = [];
	const chatter = setInterval(() => {
		for (const idler of idlers) idler.background.send(0, 0);
	}, BACKGROUND_INTERVAL_MS);
	try {
		for (const target of targets) {
			const busy = await openRooms(target, 1, 2);
			const before = await memoryOf(target);
			const addresses = await setUpRooms(target, options.rooms, 2);
			const setUp = await memoryOf(target);
			const rooms = await connectRooms(addresses);
			const instances = target.probes ? await probeAll(rooms) : null;
			const background = new Ledger(`w3-busy-${target.name}`, busy.sockets);
			idlers.push({ target, rooms, busy, background, before, setUp, connected: await memoryOf(target), instances, quietSince: Date.now() });
		}
		await sleep(Math.max(0, (idlers.at(-1)?.quietSince ?? 0) + options.idleMs - Date.now()));

		const idle = await Promise.all(idlers.map((i) => memoryOf(i.target)));
		const idleMs = idlers.map((i) => Date.now() - i.quietSince);
		const ledgers = idlers.map((i) => new Ledger(`w3-${i.target.name}`, i.rooms.sockets));
		const cpuBefore = idlers.map((i) => serverCpuMs(i.target.processes()));
		// One session of each target after another, so that both meet the same background load.
		await paceEvenly(options.rooms * idlers.length, options.wakeRate * idlers.length, (j) => ledgers[j % idlers.length]?.send(Math.floor(j / idlers.length), 0));
		await Promise.all(ledgers.map((l) => l.drain(30_000)));
		// Read before the heap snapshots below, which take memory and CPU of their own.
		const woken = await Promise.all(idlers.map((i) => memoryOf(i.target)));
		const serverCpuMsPerWake = idlers.map((i, n) => (serverCpuMs(i.target.processes()) - (cpuBefore[n] ?? 0)) / options.rooms);
		const probed = await Promise.all(idlers.map((i) => (i.instances ? probeAll(i.rooms) : null)));
		// Do the objects hibernate? Every room's object has just taken a message, so all are alive;
		// those the runtime evicts in the same idle time again are gone from the heap afterwards.
		// The other session keeps chatting meanwhile: devtools is answered only while the isolate works.
		const awake = await Promise.all(idlers.map((i) => i.target.liveRoomObjects()));
		const awakeAt = Date.now();
		await sleep(options.idleMs);
		const asleepAfterMs = Date.now() - awakeAt;
		const asleep = await Promise.all(idlers.map((i) => i.target.liveRoomObjects()));
		clearInterval(chatter);
		await Promise.all(idlers.map((i) => i.background.drain(30_000)));

		const out: Partial<Record<TargetName, IdleResult>> = {};
		for (const [n, idler] of idlers.entries()) {
			const ledger = ledgers[n];
			const idlePoint = idle[n];
			const wokenPoint = woken[n];
			if (!ledger || !idlePoint || !wokenPoint) continue;
			const after = probed[n];
			const awakeObjects = awake[n] ?? null;
			const asleepObjects = asleep[n] ?? null;
			const evicted = idler.instances && after ? { rooms: after.filter((instance, i) => instance !== idler.instances?.[i]).length, of: after.length } : null;
			const added = (pick: (m: MemoryPoint) => number) => Math.max(pick(idler.connected), pick(idlePoint), pick(wokenPoint)) - pick(idler.before);
			out[idler.target.name] = {
				rooms: options.rooms,
				idleMs: idleMs[n] ?? 0,
				memory: { before: idler.before, setUp: idler.setUp, connected: idler.connected, idle: idlePoint, woken: wokenPoint },
				addedBytes: added((m) => m.serverBytes),
				setUpBytes: idler.setUp.serverBytes - idler.before.serverBytes,
				afterSetUpBytes: Math.max(idler.connected.serverBytes, idlePoint.serverBytes, wokenPoint.serverBytes) - idler.setUp.serverBytes,
				addedWithProxyBytes: added((m) => m.totalBytes),
				addedHeapBytes: idler.connected.heapBytes !== null && idler.before.heapBytes !== null ? idler.connected.heapBytes - idler.before.heapBytes : null,
				evicted,
				liveObjects: awakeObjects !== null && asleepObjects !== null ? { awake: awakeObjects, asleep: asleepObjects, afterMs: asleepAfterMs } : null,
				firstMessage: summarize(ledger.latencies),
				serverCpuMsPerWake: serverCpuMsPerWake[n] ?? 0,
				tally: ledger.tally(),
				background: idler.background.tally(),
			};
		}
		return out;
	} finally {
		clearInterval(chatter);
		await Promise.all(idlers.flatMap((i) => [closeRooms(i.rooms), closeRooms(i.busy)]));
	}
}
