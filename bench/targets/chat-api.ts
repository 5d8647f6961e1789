/**
 * The chat Worker's public routes as the benchmark calls them: the agents it configures, the
 * address each end-user comes from, and typed POSTs. Shared by the chat target and the cost
 * workload (bench/workloads/cost.ts).
 */
import { randomUUID } from "node:crypto";
import type * as z from "zod/mini";
import { CaseSchema, StartedSessionSchema } from "../../src/shared/api";
import type { JoinedSchema } from "../../src/shared/api";
import { socketProtocols } from "../../src/shared/socket-auth";
import type { SocketAddress } from "./target";
import { socketAddress } from "./target";

/**
 * The dev agent and a few more. Each participant is its own sender with its own flood limit
 * (src/session/send-rate.ts), so rooms of more than two people get more agents, never a second
 * device of the same person.
 */
export const AGENTS = [
	{ name: "dev-agent", token: "dev-agent-token" },
	...Array.from({ length: 9 }, (_, i) => ({ name: `bench-agent-${i + 1}`, token: `bench-agent-token-${i + 1}` })),
];
export const DEV_AGENT = { name: "dev-agent", token: "dev-agent-token" };
/** The AGENT_TOKENS var that configures them. */
export const AGENT_TOKENS = AGENTS.map((a) => `${a.name}:${a.token}`).join(",");

/** Each end-user's address, as CF-Connecting-IP: Cloudflare sets it in production. */
let addresses = 0;
export function nextAddress(): string {
	addresses += 1;
	return `10.${(addresses >> 16) & 255}.${(addresses >> 8) & 255}.${addresses & 255}`;
}

export interface From {
	agentToken?: string;
	address?: string;
}

export interface ChatApi {
	post<S extends z.ZodMiniType>(path: string, schema: S, body: unknown, from?: From): Promise<z.output<S>>;
	/** A case and its session, opened by the dev agent. */
	newSession(): Promise<z.output<typeof StartedSessionSchema>>;
	socketOf(joined: z.output<typeof JoinedSchema>): SocketAddress;
}

export function chatApi(url: string): ChatApi {
	async function post<S extends z.ZodMiniType>(path: string, schema: S, body: unknown, from: From = {}): Promise<z.output<S>> {
		const headers: Record<string, string> = { "Content-Type": "application/json" };
		if (from.agentToken) headers.Authorization = `Bearer ${from.agentToken}`;
		if (from.address) headers["CF-Connecting-IP"] = from.address;
		const response = await fetch(`${url}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
		const text = await response.text();
		if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${text}`);
		const parsed = schema.safeParse(JSON.parse(text));
		if (!parsed.success) throw new Error(`POST ${path}: unexpected answer ${text.slice(0, 300)}`);
		return parsed.data;
	}
	return {
		post,
		async newSession() {
			const created = await post("/api/cases", CaseSchema, { subject: `Benchmark ${randomUUID()}`, customer: { name: "Bench customer" } }, { agentToken: DEV_AGENT.token });
			return post(`/api/cases/${created.caseId}/sessions`, StartedSessionSchema, {}, { agentToken: DEV_AGENT.token });
		},
		socketOf: (joined) => socketAddress(url, joined.webSocketPath, socketProtocols(joined.token)),
	};
}
