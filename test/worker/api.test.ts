import { listDurableObjectIds } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { CaseRecord, StartedSession } from "../../src/shared/api";
import { socketProtocols } from "../../src/shared/socket-auth";
import { api, newCase, newSession, post } from "./helpers";

describe("HTTP API", () => {
	it("answers uptime checks", async () => {
		const response = await api("/healthz", { agent: false });
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({ ok: true });
	});

	it("refuses agent routes without the right token, saying nothing more", async () => {
		const attempts: Record<string, string>[] = [{}, { Authorization: "Bearer wrong-token-123" }, { Authorization: "Basic abc" }];
		for (const headers of attempts) {
			const response = await api("/api/cases", { agent: false, headers });
			expect(response.status).toBe(401);
			expect(await response.json()).toEqual({ error: "sign in with an agent token" });
		}
	});

	it("creates a case with a case-NNNNNNNNNN id and lists it", async () => {
		const created = await newCase("VPN drops every hour");
		expect(created.caseId).toMatch(/^case-\d{10}$/);
		expect(created).toMatchObject({ subject: "VPN drops every hour", severity: "high", status: "open", customer: { name: "Dana" }, createdBy: "dev-agent" });
		const list = await (await api("/api/cases")).json<{ cases: CaseRecord[] }>();
		expect(list.cases.map((c) => c.caseId)).toContain(created.caseId);
		const one = await api(`/api/cases/${created.caseId}`);
		expect(await one.json()).toEqual(created);
	});

	it("gives every case its own id", async () => {
		const ids = await Promise.all(Array.from({ length: 20 }, () => newCase().then((c) => c.caseId)));
		expect(new Set(ids).size).toBe(20);
	});

	it("rejects a bad case with 422 naming each problem", async () => {
		const response = await api("/api/cases", {
			method: "POST",
			body: JSON.stringify({ subject: "", severity: "meh", customer: { email: "not-an-email", phone: "0151 1234" } }),
		});
		expect(response.status).toBe(422);
		const body = await response.json<{ error: string; issues: { path: string }[] }>();
		expect(body.issues.map((i) => i.path).sort()).toEqual(["customer.email", "customer.phone", "severity", "subject"]);
	});

	it("rejects malformed JSON with 400 and oversized bodies with 413", async () => {
		const malformed = await api("/api/cases", { method: "POST", body: "{not json" });
		expect(malformed.status).toBe(400);
		expect(await malformed.json()).toHaveProperty("error");
		const huge = await api("/api/cases", { method: "POST", body: JSON.stringify({ subject: "x".repeat(20_000) }) });
		expect(huge.status).toBe(413);
	});

	it("starts a session with a 9-digit key, a 128-bit invite link and a 60-minute expiry", async () => {
		const before = Date.now();
		const started = await newSession();
		expect(started.supportKey).toMatch(/^\d{9}$/);
		const token = new URL(started.inviteUrl).hash.replace("#invite=", "");
		expect(token).toMatch(/^[A-Za-z0-9_-]{66}$/);
		expect(token).not.toContain(started.supportKey);
		expect(started.expiresAt).toBeGreaterThanOrEqual(before + 3600_000);
		expect(started.expiresAt).toBeLessThanOrEqual(Date.now() + 3600_000);
	});

	it("refuses sessions for unknown or malformed case ids", async () => {
		expect((await api("/api/cases/case-0000000000/sessions", { method: "POST" })).status).toBe(404);
		expect((await api("/api/cases/nope/sessions", { method: "POST" })).status).toBe(422);
	});

	it("answers bad session routes with clear JSON errors", async () => {
		const unknown = "AAAAAAAAAAAAAAAAAAAAAA";
		const checks: [string, RequestInit & { agent?: boolean }, number, string][] = [
			["/api/sessions/not-a-session", {}, 422, "not a session id"],
			[`/api/sessions/${unknown}`, {}, 404, "no such session"],
			[`/api/sessions/${unknown}/end`, { method: "POST" }, 404, "no such session"],
			[`/api/sessions/${unknown}/resolve`, { method: "POST" }, 404, "no such session"],
			[`/api/sessions/${unknown}/agent`, { method: "POST" }, 404, "no chat matches that key or link"],
			[`/api/sessions/${unknown}/ws`, { agent: false }, 426, "expected a WebSocket upgrade"],
			[`/api/sessions/${unknown}/ws`, { agent: false, headers: { Upgrade: "websocket" } }, 401, "participant token is required"],
			[`/api/sessions/${unknown}/ws`, { agent: false, headers: { Upgrade: "websocket", "Sec-WebSocket-Protocol": "token.forged.token" } }, 401, "participant token is required"],
			[`/api/sessions/${unknown}/ws?since=-1`, { agent: false, headers: { Upgrade: "websocket" } }, 422, "since"],
			[`/api/sessions/${unknown}/ws`, { agent: false, headers: { Upgrade: "websocket", "Sec-WebSocket-Protocol": socketProtocols("forged.token").join(", ") } }, 401, "invalid or expired participant token"],
		];
		for (const [path, init, status, mention] of checks) {
			const response = await api(path, init);
			expect(response.status, path).toBe(status);
			expect((await response.json<{ error: string }>()).error, path).toContain(mention);
		}
	});

	it("answers unknown routes with JSON 404", async () => {
		const response = await api("/api/nothing-here");
		expect(response.status).toBe(404);
		expect(await response.json()).toEqual({ error: "no route for GET /api/nothing-here" });
	});

	it("serves an OpenAPI document describing the routes", async () => {
		const doc = await (await api("/api/openapi.json", { agent: false })).json<{ openapi: string; paths: Record<string, unknown> }>();
		expect(doc.openapi).toBe("3.1.0");
		expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/cases", "/api/cases/{caseId}/sessions", "/api/join", "/api/sessions/{sessionId}/ws"]));
	});
});

describe("joining", () => {
	it("lets the end-user in with the key typed with spaces, or with the invite link", async () => {
		const started = await newSession();
		const spaced = `${started.supportKey.slice(0, 3)} ${started.supportKey.slice(3, 6)}-${started.supportKey.slice(6)}`;
		const byKey = await post<{ role: string; token: string; resumeUrl: string }>("/api/join", { supportKey: spaced }, 200, false);
		expect(byKey.role).toBe("customer");
		expect(byKey.resumeUrl).toBe(started.inviteUrl);
		const inviteToken = new URL(started.inviteUrl).hash.replace("#invite=", "");
		const byLink = await post<{ role: string; sessionId: string }>("/api/join", { inviteToken }, 200, false);
		expect(byLink).toMatchObject({ role: "customer", sessionId: started.sessionId });
	});

	it("answers 404 for an unknown key or link and 422 for a malformed one", async () => {
		const started = await newSession();
		const wrongSecret = new URL(started.inviteUrl).hash.replace("#invite=", "").slice(0, 22) + "A".repeat(44);
		expect((await api("/api/join", { method: "POST", agent: false, body: JSON.stringify({ inviteToken: wrongSecret }), headers: { "CF-Connecting-IP": "198.51.100.1" } })).status).toBe(404);
		expect((await api("/api/join", { method: "POST", agent: false, body: JSON.stringify({ supportKey: "12345" }) })).status).toBe(422);
		expect((await api("/api/join", { method: "POST", agent: false, body: JSON.stringify({}) })).status).toBe(422);
	});

	it("turns a forged invite link away before it reaches any session", async () => {
		const before = (await listDurableObjectIds(env.SESSIONS)).length;
		const forged = `${"B".repeat(22)}${"C".repeat(44)}`;
		const response = await api("/api/join", { method: "POST", agent: false, body: JSON.stringify({ inviteToken: forged }), headers: { "CF-Connecting-IP": "198.51.100.9" } });
		expect(response.status).toBe(404);
		expect((await listDurableObjectIds(env.SESSIONS)).length).toBe(before);
	});

	it("stops an address after 10 wrong keys with 429, and only that address", async () => {
		const started: StartedSession = await newSession();
		const wrongKey = started.supportKey === "000000000" ? "000000001" : "000000000";
		const attempt = (ip: string, supportKey: string) =>
			api("/api/join", { method: "POST", agent: false, body: JSON.stringify({ supportKey }), headers: { "CF-Connecting-IP": ip } });
		for (let i = 0; i < 10; i++) expect((await attempt("203.0.113.7", wrongKey)).status).toBe(404);
		const blocked = await attempt("203.0.113.7", started.supportKey);
		expect(blocked.status).toBe(429);
		expect(Number(blocked.headers.get("Retry-After"))).toBeGreaterThan(0);
		expect((await attempt("203.0.113.8", started.supportKey)).status).toBe(200);
	});

	it("cannot be outrun by wrong keys sent in parallel", async () => {
		const started = await newSession();
		const wrongKey = started.supportKey === "000000000" ? "000000001" : "000000000";
		const burst = await Promise.all(
			Array.from({ length: 60 }, () =>
				api("/api/join", { method: "POST", agent: false, body: JSON.stringify({ supportKey: wrongKey }), headers: { "CF-Connecting-IP": "2001:db8:1:2:3:4:5:6" } }),
			),
		);
		const statuses = burst.map((r) => r.status);
		// The directory checks and counts each key in one call: exactly 10 get an answer.
		expect(statuses.filter((s) => s === 404).length).toBe(10);
		expect(statuses.filter((s) => s === 429).length).toBe(50);
		// Another address in the same IPv6 /64 is the same subscriber, and is blocked too.
		const sameBlock = await api("/api/join", { method: "POST", agent: false, body: JSON.stringify({ supportKey: started.supportKey }), headers: { "CF-Connecting-IP": "2001:db8:1:2:ffff::1" } });
		expect(sameBlock.status).toBe(429);
	});

	it("counts forged invite links as wrong guesses, and still lets a signed link in from a blocked address", async () => {
		const started = await newSession();
		const forged = `${"D".repeat(22)}${"E".repeat(44)}`;
		const attempt = (body: object) => api("/api/join", { method: "POST", agent: false, body: JSON.stringify(body), headers: { "CF-Connecting-IP": "203.0.113.50" } });
		for (let i = 0; i < 10; i++) expect((await attempt({ inviteToken: forged })).status).toBe(404);
		const blocked = await attempt({ supportKey: started.supportKey });
		expect(blocked.status).toBe(429);
		expect(await blocked.json()).toEqual({ error: "too many wrong keys from this address: try again later" });
		expect((await attempt({ inviteToken: forged })).status).toBe(429);
		// A signed link cannot be guessed: the customer it was sent to gets in whatever others at the address tried.
		const link = await attempt({ inviteToken: new URL(started.inviteUrl).hash.replace("#invite=", "") });
		expect(link.status).toBe(200);
	});
});
