/**
 * The Worker's log, read after a whole chat: every line the Worker writes is JSON with a request
 * id, and nothing secret or private is in any line of the run's output: no agent token, cookie,
 * participant token, support key, invite link or message text.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CaseRecord, Joined, StartedSession } from "../../src/shared/api";
import { socketProtocols } from "../../src/shared/socket-auth";
import type { DevServer } from "../support/dev-server";
import { startDevServer } from "../support/dev-server";
import { DEV_AGENT_TOKEN, apiCall } from "../support/http";

let server: DevServer;
beforeAll(async () => {
	server = await startDevServer();
});
afterAll(async () => {
	await server?.stop();
});

/** Opens the chat socket, says `text`, and resolves once the message comes back numbered. */
function chat(joined: Joined, text: string): Promise<void> {
	const socket = new WebSocket(`${server.url.replace(/^http/, "ws")}${joined.webSocketPath}`, socketProtocols(joined.token));
	return new Promise((resolve, reject) => {
		socket.addEventListener("open", () => socket.send(JSON.stringify({ type: "message", clientId: "m1", text })));
		socket.addEventListener("message", (event) => {
			if (String(event.data).includes(text)) {
				socket.close(1000, "done");
				resolve();
			}
		});
		socket.addEventListener("error", () => reject(new Error("the chat socket failed")));
	});
}

describe("the log of a whole chat", () => {
	it("is JSON lines with request ids, and holds no token, key, link or message text", async () => {
		const login = await fetch(`${server.url}/api/auth/login`, { method: "POST", headers: { "Content-Type": "application/json", Origin: server.url }, body: JSON.stringify({ token: DEV_AGENT_TOKEN }) });
		const cookie = /__Host-agent_session=([^;]+)/.exec(login.headers.get("Set-Cookie") ?? "")?.[1] ?? "";
		expect(cookie).not.toBe("");
		const theCase = await apiCall<CaseRecord>(server.url, "/api/cases", { body: { subject: "Log check", customer: { name: "Dana Secret" } }, agent: true });
		const started = await apiCall<StartedSession>(server.url, `/api/cases/${theCase.caseId}/sessions`, { body: {}, agent: true });
		const customer = await apiCall<Joined>(server.url, "/api/join", { body: { supportKey: started.supportKey } });
		const agent = await apiCall<Joined>(server.url, `/api/sessions/${started.sessionId}/agent`, { body: {}, agent: true });
		await chat(customer, "my card number is 4111 1111 1111 1111");
		await chat(agent, "thanks, never send that here");
		await fetch(`${server.url}/api/join`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{not json" });
		await apiCall(server.url, `/api/sessions/${started.sessionId}/end`, { body: {}, agent: true });
		await apiCall(server.url, `/api/sessions/${started.sessionId}/transcript`, { agent: true });
		await fetch(`${server.url}/api/auth/logout`, { method: "POST", headers: { Origin: server.url, Cookie: `__Host-agent_session=${cookie}` } });

		const output = server.output();
		const secrets = {
			agentToken: DEV_AGENT_TOKEN,
			cookie,
			customerToken: customer.token,
			agentChatToken: agent.token,
			supportKey: started.supportKey,
			inviteLink: new URL(started.inviteUrl).hash.slice("#invite=".length),
			message: "4111 1111 1111 1111",
			reply: "never send that here",
			customerName: "Dana Secret",
		};
		for (const [what, secret] of Object.entries(secrets)) expect(output.includes(secret), what).toBe(false);

		const lines = output.split("\n").filter((line) => line.trimStart().startsWith("{"));
		const requests = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.event === "request");
		expect(requests.length).toBeGreaterThanOrEqual(10);
		for (const entry of requests) expect(entry).toEqual({ level: expect.any(String), event: "request", requestId: expect.any(String), method: expect.any(String), path: expect.any(String), status: expect.any(Number), ms: expect.any(Number) });
		expect(requests.some((entry) => entry.path === "/api/join" && entry.status === 400)).toBe(true);
	});
});
