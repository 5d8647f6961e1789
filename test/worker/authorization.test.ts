/**
 * The authorization matrix, generated from the app's own route table: every route that is not
 * public, and the chat socket, tried with every kind of credential that must not work. A route
 * added later is in the matrix the moment it exists, and fails it unless it refuses them too.
 */
import { describe, expect, it } from "vitest";
import { DEV_KEYS } from "../../src/config";
import { app } from "../../src/routes/app";
import { signAgentSession } from "../../src/security/agent-session";
import { signParticipantToken } from "../../src/security/participant-token";
import type { Joined } from "../../src/shared/api";
import { CLIENT } from "../../src/shared/protocol";
import { socketProtocols } from "../../src/shared/socket-auth";
import { signedInCookie, withCookie } from "./console-cookie";
import { AGENT_TOKEN, ORIGIN, TestClient, api, joinAsAgent, joinAsCustomer, newSession } from "./helpers";

/**
 * Chats customers start (routing tests: chat-starts.test.ts): the chat page, a team's form, starting,
 * leaving a message; and a waiting customer's place and leave-message, by their own participant token.
 */
const CUSTOMER_STARTS = ["GET /chat", "GET /api/teams/:team", "POST /api/chats", "POST /api/messages", "GET /api/chats/:sessionId/place", "POST /api/chats/:sessionId/leave-message"];
/** Routes anyone may call: the pages, the health check, the API's description, joining and signing in or out. */
const PUBLIC = new Set(["GET /healthz", "GET /", "GET /console", "GET /join", "GET /api/openapi.json", "POST /api/join", "GET /api/join/ws", "POST /api/auth/login", "POST /api/auth/logout", ...CUSTOMER_STARTS]);
const SOCKET = "GET /api/sessions/:sessionId/ws";

const routes = [...new Set(app.routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${r.path}`))];
/** A session's files answer its participants (by their own token) as well as agents. */
const isFileRoute = (route: string) => route.split(" ")[1]?.startsWith("/api/sessions/:sessionId/files") === true;
const fileRoutes = routes.filter(isFileRoute);
/** So do its members' and links' routes (routes/members.ts). */
const isMemberRoute = (route: string) => /^\/api\/sessions\/:sessionId\/(links|people)/.test(route.split(" ")[1] ?? "");
const memberRoutes = routes.filter(isMemberRoute);
const agentRoutes = routes.filter((route) => !PUBLIC.has(route) && route !== SOCKET && !isFileRoute(route) && !isMemberRoute(route));

/** Two chats, a signed-out console and a participant who left: what the matrix tries. */
async function world() {
	const mine = await newSession();
	const other = await newSession();
	const customer = await joinAsCustomer(mine);
	const otherCustomer = await joinAsCustomer(other);
	const leaver = await joinAsAgent(mine.sessionId, "colleague-token-1234");
	const left = await TestClient.connect(leaver);
	left.send({ type: "leave" });
	await left.untilClosed();
	const signedOut = await signedInCookie(AGENT_TOKEN);
	const viaCookie = await (await api(`/api/sessions/${mine.sessionId}/agent`, { method: "POST", ...withCookie(signedOut, { Origin: ORIGIN }) })).json<Joined>();
	await api("/api/auth/logout", { method: "POST", ...withCookie(signedOut, { Origin: ORIGIN }) });
	const now = Date.now();
	const expiredCookie = await signAgentSession([DEV_KEYS.agentSessions], { agent: "dev-agent", signIn: "x" }, now - 1000);
	const expiredToken = await signParticipantToken([DEV_KEYS.participantTokens], { sid: mine.sessionId, pid: "customer", role: "customer", name: "Dana", did: "a-device", iat: now - 2000, exp: now - 1000 });
	return { mine, customer, otherCustomer, leaver, signedOut, viaCookie, expiredCookie, expiredToken };
}

function path(route: string, ids: { caseId: string; sessionId: string; fileId?: string }): { method: string; path: string } {
	const [method = "", template = ""] = route.split(" ");
	const filled = template
		.replace(":caseId", ids.caseId)
		.replace(":sessionId", ids.sessionId)
		.replace(":fileId", ids.fileId ?? ":fileId")
		.replace(":part", "1")
		.replace(":linkId", "nosuchlinknosuchlink00")
		.replace(":participantId", "member:nobody");
	if (filled.includes(":")) throw new Error(`the matrix does not know how to fill ${template}`);
	return { method, path: filled };
}

describe("the authorization matrix", () => {
	it("covers every route the app has", () => {
		expect(agentRoutes.length).toBeGreaterThanOrEqual(15);
		expect(routes).toContain(SOCKET);
	});

	it("refuses every agent route with 401 to anyone but a signed-in agent", async () => {
		const w = await world();
		let address = 0;
		const credentials: Record<string, () => Record<string, string>> = {
			"no credential": () => ({}),
			// A new address each time: a garbage token is refused with 401, not with the guess limit's 429.
			"a garbage token": () => ({ Authorization: "Bearer garbage-garbage-garbage", "CF-Connecting-IP": `192.0.2.${++address}` }),
			"an expired sign-in": () => ({ Cookie: `__Host-agent_session=${w.expiredCookie}` }),
			"a signed-out sign-in": () => ({ Cookie: `__Host-agent_session=${w.signedOut}` }),
			"a customer's token": () => ({ Authorization: `Bearer ${w.customer.token}`, "CF-Connecting-IP": `192.0.2.${++address}` }),
			"a customer's token as the cookie": () => ({ Cookie: `__Host-agent_session=${w.customer.token}` }),
			"a left participant's token": () => ({ Authorization: `Bearer ${w.leaver.token}`, "CF-Connecting-IP": `192.0.2.${++address}` }),
		};
		for (const route of agentRoutes) {
			const { method, path: target } = path(route, w.mine);
			for (const [what, headers] of Object.entries(credentials)) {
				const body = method === "POST" ? "{}" : undefined;
				const response = await api(target, { method, agent: false, body, headers: { Origin: ORIGIN, ...headers() } });
				expect(response.status, `${route} with ${what}`).toBe(401);
				expect(await response.json(), `${route} with ${what}`).toEqual({ error: "sign in with an agent token" });
			}
		}
	});

	it("refuses a session's files to everyone but its present participants, by their own token, and agents", async () => {
		const w = await world();
		const started = await api(`/api/sessions/${w.mine.sessionId}/files`, { method: "POST", agent: false, headers: { Authorization: `Bearer ${w.customer.token}` }, body: JSON.stringify({ clientId: "f", name: "a.png", size: 10 }) });
		const { fileId } = await started.json<{ fileId: string }>();
		let address = 0;
		const credentials: [string, () => Record<string, string>, number][] = [
			["no credential", () => ({}), 401],
			["a garbage token", () => ({ Authorization: "Bearer garbage-garbage-garbage", "CF-Connecting-IP": `192.0.2.${++address}` }), 401],
			["an expired token", () => ({ Authorization: `Bearer ${w.expiredToken}`, "CF-Connecting-IP": `192.0.2.${++address}` }), 401],
			["an expired sign-in", () => ({ Cookie: `__Host-agent_session=${w.expiredCookie}` }), 401],
			["a signed-out sign-in", () => ({ Cookie: `__Host-agent_session=${w.signedOut}` }), 401],
			["a signed-out agent's token", () => ({ Authorization: `Bearer ${w.viaCookie.token}` }), 401],
			["a customer's token as the cookie", () => ({ Cookie: `__Host-agent_session=${w.customer.token}` }), 401],
			["another session's token", () => ({ Authorization: `Bearer ${w.otherCustomer.token}` }), 404],
			["a left participant's token", () => ({ Authorization: `Bearer ${w.leaver.token}` }), 403],
		];
		for (const route of fileRoutes) {
			const { method, path: target } = path(route, { ...w.mine, fileId });
			// A start that would be taken, so that what refuses it is the credential.
			const body = route.endsWith("/files") ? JSON.stringify({ clientId: "g", name: "b.png", size: 10 }) : undefined;
			for (const [what, headers, status] of credentials) {
				const response = await api(target, { method, agent: false, body, headers: { Origin: ORIGIN, ...headers() } });
				expect(response.status, `${route} with ${what}`).toBe(status);
			}
		}
		expect(fileRoutes.length).toBeGreaterThanOrEqual(6);
	});

	it("refuses a session's members and links to everyone but its present participants, by their own token, and agents", async () => {
		const w = await world();
		let address = 0;
		const credentials: [string, () => Record<string, string>, number][] = [
			["no credential", () => ({}), 401],
			["a garbage token", () => ({ Authorization: "Bearer garbage-garbage-garbage", "CF-Connecting-IP": `192.0.2.${++address}` }), 401],
			["an expired token", () => ({ Authorization: `Bearer ${w.expiredToken}`, "CF-Connecting-IP": `192.0.2.${++address}` }), 401],
			["a signed-out sign-in", () => ({ Cookie: `__Host-agent_session=${w.signedOut}` }), 401],
			["a signed-out agent's token", () => ({ Authorization: `Bearer ${w.viaCookie.token}` }), 401],
			["another session's token", () => ({ Authorization: `Bearer ${w.otherCustomer.token}` }), 404],
			["a left participant's token", () => ({ Authorization: `Bearer ${w.leaver.token}` }), 403],
		];
		for (const route of memberRoutes) {
			const { method, path: target } = path(route, w.mine);
			// A request that would be taken, so that what refuses it is the credential.
			const body = route.endsWith("/links") ? JSON.stringify({ kind: "device" }) : method === "POST" ? "{}" : undefined;
			for (const [what, headers, status] of credentials) {
				const response = await api(target, { method, agent: false, body, headers: { Origin: ORIGIN, ...headers() } });
				expect(response.status, `${route} with ${what}`).toBe(status);
			}
		}
		expect(memberRoutes.length).toBe(4);
	});

	it("refuses the chat socket to every token but a present participant's own", async () => {
		const w = await world();
		const open = (token: string | null) =>
			api(`/api/sessions/${w.mine.sessionId}/ws`, { agent: false, headers: { Upgrade: "websocket", ...(token === null ? {} : { "Sec-WebSocket-Protocol": socketProtocols(token).join(", ") }) } });
		const cases: [string, string | null, number][] = [
			["no credential", null, 401],
			["a garbage token", "garbage.garbage", 401],
			["an expired token", w.expiredToken, 401],
			["another session's token", w.otherCustomer.token, 401],
			["a signed-out agent's token", w.viaCookie.token, 401],
			["a left participant's token", w.leaver.token, 403],
		];
		for (const [what, token, status] of cases) expect((await open(token)).status, what).toBe(status);
		expect((await open(w.customer.token)).status).toBe(101);
	});

	it("stores no frame of any type sent to a chat that has ended", async () => {
		const started = await newSession();
		const customerJoined = await joinAsCustomer(started);
		await api(`/api/sessions/${started.sessionId}/end`, { method: "POST" });
		const late = await TestClient.connect(customerJoined);
		const { lastSeq } = (await late.frameOf("state")).state;
		for (const type of Object.values(CLIENT)) late.send(type === CLIENT.message ? { type, clientId: "late", text: "after the end" } : type === CLIENT.read ? { type, seq: lastSeq } : { type });
		// The object closes an ended chat's socket once it has replayed the log.
		expect(await late.untilClosed()).toEqual({ code: 1000, reason: "chat ended" });
		const replay = await TestClient.connect(customerJoined);
		expect((await replay.frameOf("state")).state.lastSeq).toBe(lastSeq);
		expect(await replay.untilClosed()).toEqual({ code: 1000, reason: "chat ended" });
		expect(replay.events.map((e) => e.seq)).toEqual(Array.from({ length: lastSeq }, (_, i) => i + 1));
	});
});
