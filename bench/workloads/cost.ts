/**
 * W6, cost per chat: one typical chat, counted in every unit Cloudflare bills (metering/bill.ts).
 * Two participants, 40 messages over 15 minutes, the customer reloading the page once halfway,
 * then the agent ends the chat and reads the transcript. The 15 minutes are compressed (each
 * message waits only for its delivery), but what the pages would send over them is sent: a ping
 * per socket on connecting and every 25 s (src/client/session-client.ts), a typing frame every
 * 2.5 s while a message is typed (about 10 s each, src/pages/lib/composer.ts), a read receipt for
 * each message received (chat-panel.ts).
 *
 * It runs on a chat server of its own with metering on (bench/miniflare-server.ts with
 * BENCH_SQL_METER): the runtime's traces count Worker requests and every object invocation, the
 * objects' SQL cursors count rows read and written and their databases' size (src/metering/), and
 * /proc the CPU time. The code path tells what the runtime does not: pings, which the runtime
 * answers without invoking the object (billed as incoming messages all the same), and R2 (the
 * transcript's one put when the chat ends, one get when it is read). One chat runs first to warm
 * the shared objects (the directory, the limiter) up, so that the counted one pays only its share.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { JoinedSchema } from "../../src/shared/api";
import { CLIENT } from "../../src/shared/protocol";
import type { DevServer } from "../../test/support/dev-server";
import { startDevServer } from "../../test/support/dev-server";
import { BenchSocket } from "../client";
import { connectDevTools } from "../devtools";
import type { Bill, Units } from "../metering/bill";
import { bill } from "../metering/bill";
import { isObjectEvent, isSocketMessage, isWorkerRequest, tracesIn } from "../metering/traces";
import { serverCpuMs, treeStats } from "../process-stats";
import type { ChatApi } from "../targets/chat-api";
import { AGENT_TOKENS, DEV_AGENT, chatApi, nextAddress } from "../targets/chat-api";

export interface CostOptions {
	messages: number;
	minutes: number;
}

export const W6: CostOptions = { messages: 40, minutes: 15 };

const PING_EVERY_S = 25;
const TYPING_FRAMES_PER_MESSAGE = 4;
const TYPING_EVERY_S = 2.5;

/** workerd evicts an object after 10 s without events; Cloudflare's runtime hibernates idle objects alike. */
const IDLE_BEFORE_HIBERNATION_S = 10;

/**
 * The session's time in memory if it were billed from each wake until it hibernates, which the
 * published rule does not do (an idle object that may hibernate is not billed): the union of
 * [t, t + 10 s] over the chat-time t of every event that reaches it (typing frames from 10 s
 * before each message, the message and its read receipt, the joins, the reload, the end).
 */
export function secondsUntilHibernation(options: CostOptions): number {
	const spacing = (options.minutes * 60) / options.messages;
	const events = [0, options.minutes * 60];
	for (let i = 1; i <= options.messages; i++) {
		for (let t = 0; t < TYPING_FRAMES_PER_MESSAGE; t++) events.push(i * spacing - (t + 1) * TYPING_EVERY_S);
		events.push(i * spacing);
	}
	events.sort((a, b) => a - b);
	let awake = 0;
	let until = Number.NEGATIVE_INFINITY;
	for (const t of events) {
		awake += Math.min(IDLE_BEFORE_HIBERNATION_S, t + IDLE_BEFORE_HIBERNATION_S - Math.max(until, t));
		until = Math.max(until, t + IDLE_BEFORE_HIBERNATION_S);
	}
	return awake;
}

export interface CostResult extends Bill {
	/** The session's seconds in memory if billed until it hibernates (secondsUntilHibernation): not in the price. */
	secondsUntilHibernation: number;
	messages: number;
	minutes: number;
	units: Units;
	/** Invocations by object class and kind, e.g. "ChatSession rpc:admitCustomer". */
	invocations: Record<string, number>;
	rowsByClass: Record<string, { rowsRead: number; rowsWritten: number }>;
}

const MeterSchema = z.object({
	totals: z.record(z.string(), z.object({ rowsRead: z.number(), rowsWritten: z.number() })),
	databaseBytes: z.record(z.string(), z.object({ className: z.string(), bytes: z.number() })),
});
type MeterReading = z.infer<typeof MeterSchema>;
const ContextSchema = z.object({ method: z.literal("Runtime.executionContextCreated"), params: z.object({ context: z.object({ id: z.number() }) }) });
const EvaluatedSchema = z.object({ result: z.object({ value: z.string() }) });

/** The objects' SQL totals, read from the isolate's global object through devtools. */
export async function readMeter(inspectorPort: number): Promise<MeterReading> {
	const tools = await connectDevTools(inspectorPort);
	try {
		let contextId: number | null = null;
		await tools.call("Runtime.enable", {}, (note) => {
			const parsed = ContextSchema.safeParse(note);
			if (parsed.success) contextId = parsed.data.params.context.id;
		});
		if (contextId === null) throw new Error("the Worker's isolate has no execution context");
		const expression = `JSON.stringify(globalThis[Symbol.for("support-chat.sql-meter")] ?? { totals: {}, databaseBytes: {} })`;
		const answer = EvaluatedSchema.parse(await tools.call("Runtime.evaluate", { expression, contextId, returnByValue: true }));
		return MeterSchema.parse(JSON.parse(answer.result.value));
	} finally {
		tools.close();
	}
}

/** The counted chat's pings and R2 operations, which the runtime's traces do not show. */
interface Untraced {
	pings: number;
	r2ClassA: number;
	r2ClassB: number;
	r2Bytes: number;
}

/** One typical chat, start to transcript. */
async function typicalChat(server: DevServer, api: ChatApi, options: CostOptions): Promise<Untraced> {
	const untraced: Untraced = { pings: 0, r2ClassA: 0, r2ClassB: 0, r2Bytes: 0 };
	const started = await api.newSession();
	const inviteToken = new URL(started.inviteUrl).hash.replace(/^#invite=/, "");
	const agentJoined = await api.post(`/api/sessions/${started.sessionId}/agent`, JoinedSchema, {}, { agentToken: DEV_AGENT.token });
	const connect = async (address: ReturnType<ChatApi["socketOf"]>, since: number) => {
		const socket = await BenchSocket.open(address, since);
		socket.send({ type: CLIENT.ping });
		untraced.pings += 1;
		return socket;
	};
	const agent = await connect(api.socketOf(agentJoined), 0);
	// The customer opens the invite link: the page (a Worker request; its scripts and styles are static assets, free), then the join.
	const openPage = async () => {
		const page = await fetch(`${server.url}/join`);
		if (!page.ok) throw new Error(`GET /join: ${page.status}`);
		await page.arrayBuffer();
	};
	await openPage();
	const address = nextAddress();
	const customerJoined = await api.post("/api/join", JoinedSchema, { inviteToken }, { address });
	let customer = await connect(api.socketOf(customerJoined), 0);

	const secondsPerMessage = (options.minutes * 60) / options.messages;
	for (let i = 0; i < options.messages; i++) {
		if (i === Math.floor(options.messages / 2)) {
			// The reload: the page comes back from its stored chat and resumes from the last event it saw.
			const since = customer.lastSeq;
			await customer.close();
			await openPage();
			customer = await connect(api.socketOf(customerJoined), since);
		}
		const [from, to] = i % 2 === 0 ? [customer, agent] : [agent, customer];
		for (let t = 0; t < TYPING_FRAMES_PER_MESSAGE; t++) from.send({ type: CLIENT.typing });
		const clientId = randomUUID();
		from.say(clientId, `Message ${i + 1} of a typical support chat, about as long as people write them.`);
		await to.until(() => to.counts.has(clientId), `message ${i + 1}`);
		to.send({ type: CLIENT.read, seq: to.lastSeq });
		// The keep-alive pings both pages send while the time between two messages passes.
		const pings = Math.floor(((i + 1) * secondsPerMessage) / PING_EVERY_S) - Math.floor((i * secondsPerMessage) / PING_EVERY_S);
		for (let p = 0; p < pings; p++) for (const socket of [agent, customer]) socket.send({ type: CLIENT.ping });
		untraced.pings += 2 * pings;
	}

	// The agent ends the chat; the session writes the transcript to R2 (one put) as the chat ends.
	const ended = await fetch(`${server.url}/api/sessions/${started.sessionId}/end`, { method: "POST", headers: { Authorization: `Bearer ${DEV_AGENT.token}` } });
	if (!ended.ok) throw new Error(`POST end: ${ended.status} ${await ended.text()}`);
	untraced.r2ClassA += 1;
	await Promise.all([agent.close(), customer.close()]);
	const transcript = await fetch(`${server.url}/api/sessions/${started.sessionId}/transcript`, { headers: { Authorization: `Bearer ${DEV_AGENT.token}` } });
	if (!transcript.ok) throw new Error(`GET transcript: ${transcript.status} ${await transcript.text()}`);
	untraced.r2Bytes = (await transcript.arrayBuffer()).byteLength;
	untraced.r2ClassB += 1;
	return untraced;
}

const bytesOf = (reading: MeterReading, id: string) => reading.databaseBytes[id]?.bytes ?? 0;

export async function costPerChat(projectDir: string, stateParent: string | undefined, options: CostOptions): Promise<CostResult> {
	const server = await startDevServer({ cwd: projectDir, stateParent, runner: "miniflare", vars: { AGENT_TOKENS, BENCH_SQL_METER: "on" } });
	try {
		const api = chatApi(server.url);
		await typicalChat(server, api, options);
		const before = { meter: await readMeter(server.inspectorPort), traces: tracesIn(server.output()).length, cpuMs: serverCpuMs(treeStats(server.pid, "workerd")) };
		const untraced = await typicalChat(server, api, options);
		const cpuMs = serverCpuMs(treeStats(server.pid, "workerd")) - before.cpuMs;
		const after = await readMeter(server.inspectorPort);
		const traces = tracesIn(server.output()).slice(before.traces);

		const invocations: Record<string, number> = {};
		for (const t of traces) {
			const path = t.path?.replace(/\/case-\d+/, "/{caseId}").replace(/^\/api\/sessions\/[^/]+/, "/api/sessions/{id}");
			const key = `${t.entrypoint ?? "Worker"} ${t.kind}${t.method ? `:${t.method}` : ""}${path ? ` ${path}` : ""}`;
			invocations[key] = (invocations[key] ?? 0) + 1;
		}
		const rowsByClass: CostResult["rowsByClass"] = {};
		for (const [className, total] of Object.entries(after.totals)) {
			const earlier = before.meter.totals[className] ?? { rowsRead: 0, rowsWritten: 0 };
			rowsByClass[className] = { rowsRead: total.rowsRead - earlier.rowsRead, rowsWritten: total.rowsWritten - earlier.rowsWritten };
		}
		const sum = (pick: (r: { rowsRead: number; rowsWritten: number }) => number) => Object.values(rowsByClass).reduce((s, r) => s + pick(r), 0);
		// What the chat added to each database: all of its own session's, the growth of the shared ones.
		const storage = Object.keys(after.databaseBytes).reduce((s, id) => s + Math.max(0, bytesOf(after, id) - bytesOf(before.meter, id)), 0);
		const units: Units = {
			workerRequests: traces.filter(isWorkerRequest).length,
			// The runtime's CPU time stands for both the Worker's CPU and the objects' active time: an upper bound for each.
			workerCpuMs: cpuMs,
			objectCalls: traces.filter((t) => isObjectEvent(t) && !isSocketMessage(t)).length,
			socketMessages: traces.filter(isSocketMessage).length + untraced.pings,
			objectActiveSeconds: cpuMs / 1000,
			rowsRead: sum((r) => r.rowsRead),
			rowsWritten: sum((r) => r.rowsWritten),
			objectStorageBytes: storage,
			r2ClassA: untraced.r2ClassA,
			r2ClassB: untraced.r2ClassB,
			r2StorageBytes: untraced.r2Bytes,
		};
		return { messages: options.messages, minutes: options.minutes, secondsUntilHibernation: secondsUntilHibernation(options), units, invocations, rowsByClass, ...bill(units, options.messages) };
	} finally {
		await server.stop();
	}
}
