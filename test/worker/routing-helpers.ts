/** Customer-started chats and agents' consoles on the routing socket, as the routing tests drive them. */
import { runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { readConfig } from "../../src/config";
import type { ChatStarted, RoutingFrame, SetAvailability } from "../../src/shared/routing";
import { parseRoutingFrame } from "../../src/shared/routing";
import type { TeamRouter } from "../../src/routing/team-router";
import { shifted } from "../../src/session/clock";
import { AGENT_TOKEN, ORIGIN, api } from "./helpers";

let addresses = 0;
/** A fresh address for each start, so that no test meets the per-address limit by accident. */
export function nextAddress(): string {
	addresses += 1;
	return `198.18.${Math.floor(addresses / 250)}.${(addresses % 250) + 1}`;
}

/** Asks the loopback siteverify (vitest.config.ts) for a token that passes once. */
export async function solvedChallenge(): Promise<string> {
	const token = `solved-${crypto.randomUUID()}`;
	const verifyUrl = readConfig(env).turnstile?.verifyUrl;
	if (!verifyUrl) throw new Error("the tests' configuration has no Turnstile");
	const issued = await fetch(`${new URL(verifyUrl).origin}/issue/${token}`, { method: "POST" });
	if (!issued.ok) throw new Error("the fake siteverify did not issue a token");
	return token;
}

export function postChat(path: string, body: object, address = nextAddress()): Promise<Response> {
	return api(path, { method: "POST", agent: false, body: JSON.stringify(body), headers: { "CF-Connecting-IP": address } });
}

export async function startChat(team: string, fields: Record<string, string> = {}, address?: string): Promise<ChatStarted> {
	const response = await postChat("/api/chats", { team, queue: "general", name: "Robin", turnstileToken: await solvedChallenge(), ...fields }, address);
	if (response.status !== 201) throw new Error(`start: ${response.status} ${await response.text()}`);
	return response.json<ChatStarted>();
}

export async function setAvailability(change: SetAvailability, token = AGENT_TOKEN): Promise<void> {
	const response = await api("/api/routing/me", { method: "POST", agent: false, headers: { Authorization: `Bearer ${token}` }, body: JSON.stringify(change) });
	if (response.status !== 200) throw new Error(`availability: ${response.status} ${await response.text()}`);
}

/** An agent's console connected to one team's router: the routing frames it got. */
export class AgentConsole {
	readonly frames: RoutingFrame[] = [];
	private waiters: Array<() => void> = [];

	private constructor(private readonly socket: WebSocket) {
		socket.addEventListener("message", (event) => {
			const frame = parseRoutingFrame(typeof event.data === "string" ? event.data : "");
			if (!frame) throw new Error(`not a routing frame: ${String(event.data)}`);
			this.frames.push(frame);
			for (const waiter of [...this.waiters]) waiter();
		});
	}

	static async open(team: string, token = AGENT_TOKEN): Promise<AgentConsole> {
		const response = await exports.default.fetch(new Request(`${ORIGIN}/api/routing/ws?team=${team}`, { headers: { Upgrade: "websocket", Authorization: `Bearer ${token}`, Origin: ORIGIN } }));
		if (!response.webSocket) throw new Error(`routing socket refused: ${response.status} ${await response.text()}`);
		response.webSocket.accept();
		const opened = new AgentConsole(response.webSocket);
		await opened.until((f) => f.team === team, "the first routing frame");
		return opened;
	}

	get latest(): RoutingFrame | undefined {
		return this.frames.at(-1);
	}

	offered(): string[] {
		return this.latest?.offers.map((o) => o.sessionId) ?? [];
	}

	/** Resolves with the latest frame once it passes `test`. */
	until(test: (frame: RoutingFrame) => boolean, what: string, ms = 4000): Promise<RoutingFrame> {
		return new Promise((resolve, reject) => {
			const check = () => {
				const frame = this.latest;
				if (frame && test(frame)) {
					clearTimeout(timer);
					this.waiters = this.waiters.filter((w) => w !== check);
					resolve(frame);
				}
			};
			const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; last frame ${JSON.stringify(this.latest)}`)), ms);
			this.waiters.push(check);
			check();
		});
	}

	close(): void {
		this.socket.close(1000, "console closed");
	}
}

export function routerStub(team: string): DurableObjectStub<TeamRouter> {
	return env.ROUTERS.get(env.ROUTERS.idFromName(team));
}

/** Moves the team router's clock on and fires its alarm, as a late alarm would fire. */
export async function offerTimePasses(team: string, ms: number): Promise<void> {
	await runInDurableObject(routerStub(team), async (instance: TeamRouter) => {
		instance.clock = shifted(instance.clock, ms);
		await instance.alarm();
	});
}

export function accept(team: string, sessionId: string, token = AGENT_TOKEN): Promise<Response> {
	return answerOffer("accept", team, sessionId, token);
}

export function decline(team: string, sessionId: string, token = AGENT_TOKEN): Promise<Response> {
	return answerOffer("decline", team, sessionId, token);
}

function answerOffer(answer: "accept" | "decline", team: string, sessionId: string, token: string): Promise<Response> {
	return api(`/api/routing/offers/${sessionId}/${answer}`, { method: "POST", agent: false, headers: { Authorization: `Bearer ${token}` }, body: JSON.stringify({ team }) });
}
