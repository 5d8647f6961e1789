/**
 * The real Worker (under the bench's runner), driven through its public routes only: an agent opens a
 * case and a session, the customer joins with the support key, agents join the session, and each
 * participant connects to /api/sessions/{id}/ws with the token it was given.
 */
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import type * as z from "zod/mini";
import { CaseSchema, JoinedSchema, StartedSessionSchema } from "../../src/shared/api";
import { socketProtocols } from "../../src/shared/socket-auth";
import { uploadFile } from "../../src/client/file-upload";
import type { DevServerOptions } from "../../test/support/dev-server";
import { freePort, startDevServer } from "../../test/support/dev-server";
import { heapReader } from "../devtools";
import { treeStats } from "../process-stats";
import type { Target } from "./target";
import { socketAddress } from "./target";

/**
 * The dev agent and a few more. Each participant is its own sender with its own flood limit
 * (src/session/send-rate.ts), so rooms of more than two people get more agents, never a second
 * device of the same person.
 */
const AGENTS = [
	{ name: "dev-agent", token: "dev-agent-token" },
	...Array.from({ length: 9 }, (_, i) => ({ name: `bench-agent-${i + 1}`, token: `bench-agent-token-${i + 1}` })),
];
export const MAX_ROOM_SIZE = AGENTS.length + 1;
const [DEV_AGENT] = AGENTS;

/** Each end-user's address, as CF-Connecting-IP: Cloudflare sets it in production. */
let addresses = 0;
function nextAddress(): string {
	addresses += 1;
	return `10.${(addresses >> 16) & 255}.${(addresses >> 8) & 255}.${addresses & 255}`;
}

export async function startChatTarget(projectDir: string, options: Pick<DevServerOptions, "stateParent" | "inspectorPort" | "runner"> = {}): Promise<Target> {
	const inspectorPort = options.inspectorPort ?? (await freePort());
	const server = await startDevServer({ ...options, inspectorPort, cwd: projectDir, vars: { AGENT_TOKENS: AGENTS.map((a) => `${a.name}:${a.token}`).join(",") } });
	const heap = heapReader(inspectorPort);

	async function post<S extends z.ZodMiniType>(path: string, schema: S, body: unknown, from: { agentToken?: string; address?: string } = {}): Promise<z.output<S>> {
		const headers: Record<string, string> = { "Content-Type": "application/json" };
		if (from.agentToken) headers.Authorization = `Bearer ${from.agentToken}`;
		if (from.address) headers["CF-Connecting-IP"] = from.address;
		const response = await fetch(`${server.url}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
		const text = await response.text();
		if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${text}`);
		const parsed = schema.safeParse(JSON.parse(text));
		if (!parsed.success) throw new Error(`POST ${path}: unexpected answer ${text.slice(0, 300)}`);
		return parsed.data;
	}

	async function newSession() {
		const created = await post("/api/cases", CaseSchema, { subject: `Benchmark ${randomUUID()}`, customer: { name: "Bench customer" } }, { agentToken: DEV_AGENT?.token });
		return post(`/api/cases/${created.caseId}/sessions`, StartedSessionSchema, {}, { agentToken: DEV_AGENT?.token });
	}

	const socketOf = (joined: z.output<typeof JoinedSchema>) => socketAddress(server.url, joined.webSocketPath, socketProtocols(joined.token));

	return {
		name: "chat",
		probes: false,
		async openRoom(size) {
			if (size < 2 || size > MAX_ROOM_SIZE) throw new Error(`a chat room here has 2 to ${MAX_ROOM_SIZE} participants`);
			const started = await newSession();
			const customer = await post("/api/join", JoinedSchema, { supportKey: started.supportKey });
			const agents = [];
			for (const agent of AGENTS.slice(0, size - 1)) agents.push(await post(`/api/sessions/${started.sessionId}/agent`, JoinedSchema, {}, { agentToken: agent.token }));
			return [customer, ...agents].map(socketOf);
		},
		async openChannel(size) {
			const started = await newSession();
			const inviteToken = new URL(started.inviteUrl).hash.replace(/^#invite=/, "");
			const agent = await post(`/api/sessions/${started.sessionId}/agent`, JoinedSchema, {}, { agentToken: DEV_AGENT?.token });
			const devices = [];
			// One after another, as people follow a link: each admission is a device of the customer's (src/session/devices.ts).
			for (let i = 1; i < size; i++) devices.push(await post("/api/join", JoinedSchema, { inviteToken }, { address: nextAddress() }));
			return [agent, ...devices].map(socketOf);
		},
		async prepareJoin() {
			const started = await newSession();
			// Each end-user joins from an address of its own, as people do: the join route limits
			// guesses per address, and 100 joins from one address would meet that limit instead.
			const address = nextAddress();
			return async () => socketOf(await post("/api/join", JoinedSchema, { supportKey: started.supportKey }, { address }));
		},
		async upload(bytes) {
			// A session of its own for each file, so that no session's total limits the run.
			const started = await newSession();
			const customer = await post("/api/join", JoinedSchema, { supportKey: started.supportKey }, { address: nextAddress() });
			const file = new Blob([bytes], { type: "application/pdf" });
			const begun = performance.now();
			await uploadFile({ baseUrl: server.url, sessionId: customer.sessionId, token: customer.token, file, name: "bench.pdf", clientId: randomUUID(), maxAttempts: 1 });
			return performance.now() - begun;
		},
		processes: () => treeStats(server.pid, "workerd"),
		heapUsedBytes: () => heap.read(),
		liveRoomObjects: () => heap.liveObjects("ChatSession"),
		stop: () => {
			heap.close();
			return server.stop();
		},
	};
}
