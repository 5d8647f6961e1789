import { describe, expect, it } from "vitest";
import { DEV_KEYS } from "../../src/config";
import { signAgentSession } from "../../src/security/agent-session";
import { COOKIE, cookieValue, login, withCookie } from "./console-cookie";
import { AGENT_TOKEN, ORIGIN, api, joinAsCustomer, newSession } from "./helpers";

describe("console sign-in", () => {
	it("exchanges the agent token for an HttpOnly, Secure, SameSite=Strict cookie that does not hold the token", async () => {
		const response = await login(AGENT_TOKEN);
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({ agent: "dev-agent" });
		const setCookie = response.headers.get("Set-Cookie") ?? "";
		expect(setCookie).toMatch(/^__Host-agent_session=/);
		for (const attribute of ["HttpOnly", "Secure", "SameSite=Strict", "Path=/", "Max-Age=43200"]) expect(setCookie).toContain(attribute);
		expect(setCookie).not.toContain("Domain");
		const value = cookieValue(setCookie);
		const payload = atob(value.split(".")[0]!.replace(/-/g, "+").replace(/_/g, "/"));
		expect(value).not.toContain(AGENT_TOKEN);
		expect(payload).not.toContain(AGENT_TOKEN);
		expect(JSON.parse(payload)).toMatchObject({ use: "agent-session", agent: "dev-agent" });
	});

	it("refuses a wrong token without setting a cookie", async () => {
		const response = await login("not-the-agent-token", { "CF-Connecting-IP": "198.51.100.20" });
		expect(response.status).toBe(401);
		expect(await response.json()).toEqual({ error: "that agent token is not valid" });
		expect(response.headers.get("Set-Cookie")).toBeNull();
	});

	it("stops an address after 10 wrong tokens with 429", async () => {
		for (let i = 0; i < 10; i++) expect((await login("wrong-token-guess", { "CF-Connecting-IP": "198.51.100.21" })).status).toBe(401);
		const blocked = await login("wrong-token-guess", { "CF-Connecting-IP": "198.51.100.21" });
		expect(blocked.status).toBe(429);
		expect(Number(blocked.headers.get("Retry-After"))).toBeGreaterThan(0);
	});

	it("counts wrong Bearer tokens on the API with wrong sign-ins, so neither door can be used to keep guessing", async () => {
		const from = { "CF-Connecting-IP": "198.51.100.22" };
		const bearer = (token: string) => api("/api/cases", { agent: false, headers: { Authorization: `Bearer ${token}`, ...from } });
		for (let i = 0; i < 5; i++) expect((await bearer("wrong-token-guess")).status).toBe(401);
		for (let i = 0; i < 5; i++) expect((await login("wrong-token-guess", from)).status).toBe(401);
		const blocked = await bearer("wrong-token-guess");
		expect(blocked.status).toBe(429);
		expect(await blocked.json()).toEqual({ error: "too many wrong tokens from this address: try again later" });
		expect((await login("wrong-token-guess", from)).status).toBe(429);
		expect((await api("/api/cases", { headers: { "CF-Connecting-IP": "198.51.100.23" } })).status).toBe(200);
	});

	it("refuses a sign-in started by another site", async () => {
		expect((await login(AGENT_TOKEN, { Origin: "https://evil.example" })).status).toBe(403);
	});

	it("lets the cookie stand in for the Bearer token, for reading and, from the page's own origin, for changing", async () => {
		const value = cookieValue((await login(AGENT_TOKEN)).headers.get("Set-Cookie"));
		const me = await api("/api/auth/me", withCookie(value));
		expect(me.status).toBe(200);
		expect(await me.json()).toEqual({ agent: "dev-agent" });
		expect((await api("/api/cases", withCookie(value))).status).toBe(200);

		const create = (headers: Record<string, string>) =>
			api("/api/cases", { method: "POST", body: JSON.stringify({ subject: "From the console" }), ...withCookie(value, headers) });
		const created = await create({ Origin: ORIGIN });
		expect(created.status).toBe(201);
		expect(await created.json()).toMatchObject({ subject: "From the console", createdBy: "dev-agent" });
		// A request that changes something needs the page's own Origin, not just the cookie.
		expect((await create({})).status).toBe(401);
		expect((await create({ Origin: "https://evil.example" })).status).toBe(401);
	});

	it("refuses a change the browser says another site started, whatever its Origin says", async () => {
		const value = cookieValue((await login(AGENT_TOKEN)).headers.get("Set-Cookie"));
		const create = (site: string) => api("/api/cases", { method: "POST", body: JSON.stringify({ subject: "From the console" }), ...withCookie(value, { Origin: ORIGIN, "Sec-Fetch-Site": site }) });
		expect((await create("cross-site")).status).toBe(401);
		expect((await create("same-origin")).status).toBe(201);
	});

	it("lets the agent join a chat with the cookie alone", async () => {
		const value = cookieValue((await login(AGENT_TOKEN)).headers.get("Set-Cookie"));
		const started = await newSession();
		await joinAsCustomer(started);
		const joined = await api(`/api/sessions/${started.sessionId}/agent`, { method: "POST", ...withCookie(value, { Origin: ORIGIN }) });
		expect(joined.status).toBe(200);
		expect(await joined.json()).toMatchObject({ role: "agent", participantId: "agent:dev-agent" });
	});

	it("answers 401 to a forged, expired, foreign or participant token in the cookie", async () => {
		const value = cookieValue((await login(AGENT_TOKEN)).headers.get("Set-Cookie"));
		const [payload, signature] = value.split(".");
		const forged = `${btoa(JSON.stringify({ use: "agent-session", agent: "dev-agent", exp: Date.now() * 2, n: "x" })).replace(/=+$/, "")}.${signature}`;
		const keys = [DEV_KEYS.agentSessions] as const;
		const expired = await signAgentSession(keys, { agent: "dev-agent", signIn: "x" }, Date.now() - 3600_000);
		const unknownAgent = await signAgentSession(keys, { agent: "someone-removed", signIn: "x" }, Date.now() + 3600_000);
		const started = await newSession();
		const participant = (await joinAsCustomer(started)).token;
		for (const bad of [forged, `${payload}.AAAA`, expired, unknownAgent, participant, ""]) {
			const response = await api("/api/auth/me", withCookie(bad));
			expect(response.status, bad).toBe(401);
			expect(await response.json()).toEqual({ error: "sign in with an agent token" });
		}
	});

	it("is described in the OpenAPI document, with the cookie as a way to sign in", async () => {
		const doc = await (await api("/api/openapi.json", { agent: false })).json<{ paths: Record<string, unknown>; components: { securitySchemes: Record<string, unknown> } }>();
		expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/auth/login", "/api/auth/logout", "/api/auth/me", "/api/queue/ws"]));
		expect(doc.components.securitySchemes).toHaveProperty("agentCookie", expect.objectContaining({ in: "cookie", name: COOKIE }));
	});

	it("signs out by clearing the cookie", async () => {
		const response = await api("/api/auth/logout", { method: "POST", agent: false, headers: { Origin: ORIGIN } });
		expect(response.status).toBe(204);
		const setCookie = response.headers.get("Set-Cookie") ?? "";
		expect(setCookie).toMatch(/^__Host-agent_session=;/);
		expect(setCookie).toContain("Max-Age=0");
	});
});
