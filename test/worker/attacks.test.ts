/**
 * What an attack on a running server got through (issue 12), each as a test: every one of these
 * failed before the fix. The chat object's own findings (frame sizes, binary frames, replay after
 * leaving) are tested with the object.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { addressBucket } from "../../src/security/client-address";
import { socketProtocols } from "../../src/shared/socket-auth";
import { signedInCookie, withCookie } from "./console-cookie";
import { AGENT_TOKEN, COLLEAGUE_TOKEN, ORIGIN, TestClient, api, joinAsAgent, joinAsCustomer, newCase, newSession } from "./helpers";

const json = (body: unknown) => JSON.stringify(body);

describe("1. signing out revokes the sign-in", () => {
	const openQueue = (cookie: string) => exports.default.fetch(new Request(`${ORIGIN}/api/queue/ws`, { headers: { Upgrade: "websocket", Origin: ORIGIN, Cookie: `__Host-agent_session=${cookie}` } }));
	const logout = (cookie: string, path = "/api/auth/logout") => api(path, { method: "POST", ...withCookie(cookie, { Origin: ORIGIN }) });

	it("refuses the same cookie everywhere after POST /api/auth/logout, and closes its console socket", async () => {
		const cookie = await signedInCookie(AGENT_TOKEN);
		const started = await newSession();
		const queue = (await openQueue(cookie)).webSocket;
		if (!queue) throw new Error("the queue socket was refused");
		queue.accept();
		const closed = new Promise<number>((resolve) => queue.addEventListener("close", (event) => resolve(event.code)));

		expect((await logout(cookie)).status).toBe(204);
		expect(await closed).toBe(1008);
		expect((await api("/api/auth/me", withCookie(cookie))).status).toBe(401);
		expect((await api("/api/cases", { method: "POST", body: json({ subject: "after sign-out" }), ...withCookie(cookie, { Origin: ORIGIN }) })).status).toBe(401);
		expect((await api(`/api/sessions/${started.sessionId}/end`, { method: "POST", ...withCookie(cookie, { Origin: ORIGIN }) })).status).toBe(401);
		expect((await api(`/api/cases/${started.caseId}/resolve`, { method: "POST", ...withCookie(cookie, { Origin: ORIGIN }) })).status).toBe(401);
		expect((await openQueue(cookie)).status).toBe(401);
	});

	it("signs out every sign-in of the agent's at once, and leaves other agents signed in", async () => {
		const [first, second, colleague] = await Promise.all([signedInCookie(AGENT_TOKEN), signedInCookie(AGENT_TOKEN), signedInCookie("colleague-token-1234")]);
		expect((await logout(first, "/api/auth/logout-everywhere")).status).toBe(204);
		for (const cookie of [first, second]) expect((await api("/api/auth/me", withCookie(cookie))).status).toBe(401);
		expect((await api("/api/auth/me", withCookie(colleague))).status).toBe(200);
	});

	it("kills the chat tokens an agent got with the cookie: no new socket after sign-out", async () => {
		const cookie = await signedInCookie(AGENT_TOKEN);
		const started = await newSession();
		await joinAsCustomer(started);
		const joined = await api(`/api/sessions/${started.sessionId}/agent`, { method: "POST", ...withCookie(cookie, { Origin: ORIGIN }) });
		const agent = await joined.json<Parameters<typeof TestClient.connect>[0]>();
		(await TestClient.connect(agent)).close();
		await logout(cookie);
		await expect(TestClient.connect(agent)).rejects.toThrow(/401/);
	});

	it("closes the chat sockets an agent has open when they sign out everywhere, and leaves another agent's", async () => {
		const cookie = await signedInCookie(AGENT_TOKEN);
		const started = await newSession();
		const customer = await TestClient.connect(await joinAsCustomer(started));
		const joined = await api(`/api/sessions/${started.sessionId}/agent`, { method: "POST", ...withCookie(cookie, { Origin: ORIGIN }) });
		const agent = await TestClient.connect(await joined.json<Parameters<typeof TestClient.connect>[0]>());
		await agent.frameOf("state");
		const colleague = await TestClient.connect(await joinAsAgent(started.sessionId, COLLEAGUE_TOKEN));
		await colleague.frameOf("state");
		const out = await api("/api/auth/logout-everywhere", { method: "POST", ...withCookie(cookie, { Origin: ORIGIN }) });
		expect(out.status).toBeLessThan(300);
		expect(await agent.untilClosed()).toEqual({ code: 1008, reason: "signed out" });
		customer.say("still", "still here?");
		await colleague.until(() => colleague.messages().includes("still here?"), "the customer's message");
		expect(colleague.closed).toBeNull();
	});
});

describe("2. one IPv6 /64 is one address, however it is written", () => {
	it("expands :: before taking the /64, and reads IPv4-mapped addresses as IPv4", () => {
		expect(addressBucket("2001:db8::1:0:0:1")).toBe("2001:db8:0:0::/64");
		expect(addressBucket("2001:db8:0:0:a:0:0:1")).toBe("2001:db8:0:0::/64");
		expect(addressBucket("2001:DB8:0000:0000:ffff::")).toBe("2001:db8:0:0::/64");
		expect(addressBucket("::ffff:192.0.2.1")).toBe("192.0.2.1");
		expect(addressBucket("192.0.2.1")).toBe("192.0.2.1");
		expect(addressBucket("not an address")).toBe("unknown");
		expect(addressBucket(undefined)).toBe("unknown");
	});

	it("stops ten compressed addresses of one /64 after 10 wrong keys between them", async () => {
		const started = await newSession();
		const wrongKey = started.supportKey === "000000000" ? "000000001" : "000000000";
		const attempt = (ip: string, supportKey: string) => api("/api/join", { method: "POST", agent: false, body: json({ supportKey }), headers: { "CF-Connecting-IP": ip } });
		for (let i = 1; i <= 10; i++) expect((await attempt(`2001:db8:77::${i.toString(16)}:0:0:1`, wrongKey)).status).toBe(404);
		expect((await attempt("2001:db8:77:0:ffff::1", wrongKey)).status).toBe(429);
	});

	it("counts an IPv4-mapped address with the IPv4 address it carries", async () => {
		const wrong = (ip: string) => api("/api/join", { method: "POST", agent: false, body: json({ supportKey: "999999999" }), headers: { "CF-Connecting-IP": ip } });
		for (let i = 0; i < 10; i++) expect([404, 410]).toContain((await wrong(i % 2 ? "198.51.100.77" : "::ffff:198.51.100.77")).status);
		expect((await wrong("198.51.100.77")).status).toBe(429);
	});
});

describe("5. text is valid Unicode without controls, or refused", () => {
	const createCase = (body: unknown) => api("/api/cases", { method: "POST", body: json(body) });
	const refusals: [string, string][] = [
		["a lone surrogate", "\ud800"],
		["NUL", "\u0000"],
		["ESC", "\u001b[31m"],
		["BEL", "\u0007"],
		["CR", "\r"],
		["a C1 control", "\u0085"],
		["a bidi override", "\u202e"],
		["a bidi isolate", "\u2067"],
	];
	for (const [what, text] of refusals) {
		it(`refuses ${what} in a subject and in a customer's name with 422`, async () => {
			const subject = await createCase({ subject: `Printer ${text} fire` });
			expect(subject.status).toBe(422);
			expect((await subject.json<{ issues: { path: string }[] }>()).issues.map((i) => i.path)).toContain("subject");
			const name = await createCase({ subject: "Printer", customer: { name: `Dana ${text}` } });
			expect(name.status).toBe(422);
			expect((await name.json<{ issues: { path: string }[] }>()).issues.map((i) => i.path)).toContain("customer.name");
		});
	}

	it("keeps what it accepts exactly as sent: right-to-left text and marks", async () => {
		const subject = "מדפסת בוערת \u200f(urgent)";
		const created = await createCase({ subject, customer: { name: "دانة" } });
		expect(created.status).toBe(201);
		expect(await created.json()).toMatchObject({ subject, customer: { name: "دانة" } });
	});

	it("refuses such text in a message with an error frame, stores nothing, and keeps newlines and tabs", async () => {
		const started = await newSession();
		const customer = await TestClient.connect(await joinAsCustomer(started));
		const agent = await TestClient.connect(await joinAsAgent(started.sessionId));
		for (const [index, [, text]] of refusals.entries()) customer.say(`bad-${index}`, `hello ${text}`);
		customer.say("good", "line one\n\tline two");
		await agent.until(() => agent.messages().includes("line one\n\tline two"), "the good message");
		const errors = await customer.until(() => {
			const found = customer.frames.filter((f) => f.type === "error");
			return found.length === refusals.length && found;
		}, "an error frame per refused message");
		expect(errors.every((f) => f.type === "error" && f.code === "bad_frame")).toBe(true);
		expect(agent.messages()).toEqual(["line one\n\tline two"]);
	});
});

describe("7. bodies are JSON, as application/json in UTF-8, and nothing else", () => {
	const createCase = (contentType: string | null, body: BodyInit) => {
		const headers = new Headers({ Authorization: `Bearer ${AGENT_TOKEN}` });
		if (contentType !== null) headers.set("Content-Type", contentType);
		return exports.default.fetch(new Request(`${ORIGIN}/api/cases`, { method: "POST", headers, body }));
	};
	const valid = json({ subject: "Printer on fire" });

	for (const type of ["application/vnd.evil+json", "application/json; charset=utf-7", "text/plain", "application/x-www-form-urlencoded", "application/json; boundary=x"]) {
		it(`answers ${type} with 415`, async () => {
			const response = await createCase(type, valid);
			expect(response.status).toBe(415);
			expect(await response.json()).toEqual({ error: "request bodies must be JSON: Content-Type: application/json" });
		});
	}

	it("answers a body with no Content-Type with 415", async () => {
		expect((await createCase(null, valid)).status).toBe(415);
	});

	it("takes application/json with no charset or with charset=utf-8", async () => {
		for (const type of ["application/json", "application/json; charset=utf-8", "Application/JSON; Charset=UTF-8"]) expect((await createCase(type, valid)).status, type).toBe(201);
	});

	it("answers malformed JSON and bytes that are not UTF-8 with 400, and JSON that does not fit with 422", async () => {
		expect((await createCase("application/json", "{not json")).status).toBe(400);
		expect((await createCase("application/json", new Uint8Array([0x7b, 0x22, 0x73, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]))).status).toBe(400);
		expect((await createCase("application/json", json({ subject: 7 }))).status).toBe(422);
	});
});

describe("8. headers on everything the Worker answers", () => {
	it("sends nosniff and no-store with every API answer: a join's token, a transcript, an error", async () => {
		const started = await newSession();
		const join = await api("/api/join", { method: "POST", agent: false, body: json({ supportKey: started.supportKey }) });
		await api(`/api/sessions/${started.sessionId}/end`, { method: "POST" });
		const answers = [join, await api(`/api/sessions/${started.sessionId}/transcript`), await api("/api/cases"), await api("/api/nothing-here"), await api("/api/cases", { agent: false })];
		for (const response of answers) {
			expect(response.headers.get("X-Content-Type-Options"), response.url).toBe("nosniff");
			expect(response.headers.get("Cache-Control"), response.url).toBe("no-store");
		}
		expect(join.status).toBe(200);
		expect(answers[1]?.status).toBe(200);
	});

	it("answers a refused participant socket as the API answers: JSON, its headers and a request id", async () => {
		const started = await newSession();
		const upgrade = (path: string, headers: Record<string, string>) => exports.default.fetch(new Request(`${ORIGIN}${path}`, { headers: { Upgrade: "websocket", ...headers } }));
		const protocols = socketProtocols("forged.token").join(", ");
		const refused = [
			[await upgrade(`/api/sessions/${started.sessionId}/ws`, { "Sec-WebSocket-Protocol": protocols }), 401, "invalid or expired participant token"],
			[await upgrade(`/api/sessions/${started.sessionId}/ws`, { "Sec-WebSocket-Protocol": protocols, Origin: "https://attacker.example" }), 403, "origin not allowed"],
			[await upgrade(`/api/sessions/${started.sessionId}/ws?since=-1`, { "Sec-WebSocket-Protocol": protocols }), 422, "invalid query: since"],
			[await upgrade("/api/sessions/not-a-session/ws", { "Sec-WebSocket-Protocol": protocols }), 422, "invalid param: sessionId"],
		] as const;
		for (const [response, status, error] of refused) {
			expect(response.status).toBe(status);
			expect(((await response.json()) as { error: string }).error).toContain(error);
			expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
			expect(response.headers.get("Cache-Control")).toBe("no-store");
			expect(response.headers.get("X-Request-Id")).toMatch(/^[A-Za-z0-9_-]{22}$/);
		}
	});

	it("builds the pages' policy from the configuration, whatever Host the request names", async () => {
		const page = await exports.default.fetch(new Request("http://attacker.example/join"));
		expect(page.headers.get("Content-Security-Policy")).not.toContain("attacker.example");
		expect(page.headers.get("X-Content-Type-Options")).toBe("nosniff");
		expect((await exports.default.fetch(new Request(`${ORIGIN}/healthz`))).headers.get("X-Content-Type-Options")).toBe("nosniff");
	});
});

describe("9. a right agent token is never refused for others' wrong ones", () => {
	it("lets the right token in from an address that sent 10 wrong ones, and keeps refusing the wrong ones", async () => {
		const from = { "CF-Connecting-IP": "198.51.100.90" };
		const bearer = (token: string) => api("/api/cases", { agent: false, headers: { Authorization: `Bearer ${token}`, ...from } });
		for (let i = 0; i < 10; i++) expect((await bearer("wrong-token-guess")).status).toBe(401);
		expect((await bearer("wrong-token-guess")).status).toBe(429);
		expect((await bearer(AGENT_TOKEN)).status).toBe(200);
		const login = await api("/api/auth/login", { method: "POST", agent: false, body: json({ token: AGENT_TOKEN }), headers: { Origin: ORIGIN, ...from } });
		expect(login.status).toBe(200);
	});
});

describe("10. every method the API does not document gets a JSON 405", () => {
	it("answers a method a route does not have with 405 and Allow", async () => {
		const created = await newCase();
		for (const [method, path, allow] of [
			["PUT", "/api/cases", "GET, POST, HEAD"],
			["DELETE", `/api/cases/${created.caseId}`, "GET, HEAD"],
			["GET", "/api/join", "POST"],
			["PATCH", "/api/auth/logout", "POST"],
		] as const) {
			const response = await api(path, { method });
			expect(response.status, `${method} ${path}`).toBe(405);
			expect(response.headers.get("Allow")).toBe(allow);
			expect(response.headers.get("Content-Type")).toMatch(/^application\/json/);
		}
	});

	it("answers methods nobody documents, anywhere, with a JSON 405, before asking for credentials", async () => {
		for (const method of ["PROPFIND", "MKCOL", "LOCK", "REPORT"]) {
			const response = await api("/api/cases", { method, agent: false });
			expect(response.status, method).toBe(405);
			expect(await response.json<{ error: string }>()).toHaveProperty("error");
		}
	});
});
