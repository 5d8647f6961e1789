/**
 * The real Worker (under the bench's runner), driven through its public routes only: an agent opens a
 * case and a session, the customer joins with the support key (or W5, by the invite link on the
 * join socket), agents join the session, and each participant connects to /api/sessions/{id}/ws
 * with the token it was given.
 */
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { JoinedSchema } from "../../src/shared/api";
import { uploadFile } from "../../src/client/file-upload";
import type { DevServerOptions } from "../../test/support/dev-server";
import { startDevServer } from "../../test/support/dev-server";
import { heapReader } from "../devtools";
import { treeStats } from "../process-stats";
import { AGENTS, AGENT_TOKENS, DEV_AGENT, chatApi, nextAddress } from "./chat-api";
import { joinProtocols } from "../../src/shared/socket-auth";
import type { Target } from "./target";
import { socketAddress } from "./target";

export const MAX_ROOM_SIZE = AGENTS.length + 1;

export async function startChatTarget(projectDir: string, options: Pick<DevServerOptions, "stateParent" | "inspectorPort" | "runner"> = {}): Promise<Target> {
	const server = await startDevServer({ ...options, cwd: projectDir, vars: { AGENT_TOKENS } });
	const heap = heapReader(server.inspectorPort);

	const { post, newSession, socketOf } = chatApi(server.url);

	return {
		name: "chat",
		url: server.url,
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
			const agent = await post(`/api/sessions/${started.sessionId}/agent`, JoinedSchema, {}, { agentToken: DEV_AGENT.token });
			const devices = [];
			// One after another, as people follow a link: each admission is a device of the customer's (src/session/devices.ts).
			for (let i = 1; i < size; i++) devices.push(await post("/api/join", JoinedSchema, { inviteToken }, { address: nextAddress() }));
			return [agent, ...devices].map(socketOf);
		},
		async prepareJoin() {
			const started = await newSession();
			const inviteToken = new URL(started.inviteUrl).hash.replace(/^#invite=/, "");
			// BenchSocket.open waits for the state frame, which follows the join's answer on this socket.
			return async () => socketAddress(server.url, "/api/join/ws", joinProtocols(inviteToken));
		},
		async prepareKeyJoin() {
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
