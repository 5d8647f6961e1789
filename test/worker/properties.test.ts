/**
 * Property-based attacks with fast-check: generated requests against every route of the app's
 * route table, and generated frames of every client frame type against a live chat. Over 10,000
 * inputs per run. Whatever is sent: never a 5xx (but the documented 503 of an unconfigured invite
 * channel), every API answer is JSON, the chat's object keeps answering, and everything it stored
 * replays as events that fit the protocol's schema.
 */
import { exports } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { app } from "../../src/routes/app";
import type { CaseRecord } from "../../src/shared/api";
import { CaseSchema } from "../../src/shared/api";
import { CLIENT } from "../../src/shared/protocol";
import { AGENT_TOKEN, ORIGIN, TestClient, api, joinAsAgent, joinAsCustomer, newSession } from "./helpers";

/** Text that has broken things before: lone surrogates, controls, bidi overrides, long runs. */
const nastyText = fc.oneof(
	fc.string({ unit: "binary", maxLength: 200 }),
	fc.constantFrom("\ud800", "\udfff", "a\ud83d", "\u0000", "\u001b[2J", "\u0007", "\r\n", "\u0085", "\u202e", "\u2066", "\ufeff", "", " ", "x".repeat(5000)),
	fc.string({ maxLength: 50 }),
);
const anyJson = fc.jsonValue({ maxDepth: 3 });

// ---- HTTP -------------------------------------------------------------------------------------

const routes = [...new Set(app.routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${r.path}`))];

/** Bodies shaped like the API's, with every field generated, so that validation is reached and passed. */
const shapedBody = fc.oneof(
	fc.record({ subject: nastyText, severity: fc.oneof(fc.constantFrom("low", "normal", "high", "urgent"), nastyText), customer: fc.record({ name: nastyText, email: nastyText, phone: nastyText }, { requiredKeys: [] }) }, { requiredKeys: [] }),
	fc.record({ supportKey: fc.oneof(fc.stringMatching(/^\d{3} ?\d{3}-?\d{3}$/), nastyText) }),
	fc.record({ inviteToken: fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{66}$/), nastyText) }),
	fc.record({ channel: fc.constantFrom("sms", "email", "fax"), to: fc.oneof(fc.constantFrom("+4915112345678", "user@example.com"), nastyText) }),
	fc.record({ token: nastyText }),
);

const request = fc.record({
	route: fc.constantFrom(...routes),
	otherMethod: fc.option(fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"), { freq: 4 }),
	param: fc.oneof(fc.constant("real"), fc.string({ maxLength: 40 }), fc.stringMatching(/^case-\d{10}$/), fc.stringMatching(/^[A-Za-z0-9_-]{22}$/)),
	body: fc.option(fc.oneof(shapedBody, anyJson.map((value) => ({ raw: JSON.stringify(value) })), fc.string({ maxLength: 100 }).map((raw) => ({ raw }))), { freq: 3 }),
	contentType: fc.constantFrom("application/json", "application/json; charset=utf-8", "text/plain", "application/vnd.evil+json", "application/json; charset=utf-7", null),
	auth: fc.constantFrom("agent", "none", "garbage"),
	query: fc.option(fc.webQueryParameters(), { freq: 3 }),
});

describe("generated requests to every route", () => {
	it("never get a 5xx, and every API answer is JSON", async () => {
		const real = await newSession();
		await joinAsCustomer(real);
		let runs = 0;
		await fc.assert(
			fc.asyncProperty(request, async (r) => {
				runs++;
				const [routeMethod = "GET", template = "/"] = r.route.split(" ");
				const method = r.otherMethod ?? routeMethod;
				const param = (real: string) => (r.param === "real" ? real : encodeURIComponent(r.param));
				const path = template.replace(":caseId", param(real.caseId)).replace(":sessionId", param(real.sessionId));
				const headers = new Headers({ Origin: ORIGIN });
				if (r.auth === "agent") headers.set("Authorization", `Bearer ${AGENT_TOKEN}`);
				if (r.auth === "garbage") headers.set("Authorization", "Bearer not-a-token-at-all");
				if (r.contentType !== null) headers.set("Content-Type", r.contentType);
				const body = r.body === null || method === "GET" || method === "HEAD" ? undefined : "raw" in r.body ? r.body.raw : JSON.stringify(r.body);
				const response = await exports.default.fetch(new Request(`${ORIGIN}${path}${r.query ? `?${r.query}` : ""}`, { method, headers, body }));
				const text = await response.text();
				const what = `${method} ${path} → ${response.status} ${text.slice(0, 200)}`;
				const unconfiguredInvite = response.status === 503 && template.endsWith("/invites") && text.includes("not configured");
				expect(response.status < 500 || unconfiguredInvite, what).toBe(true);
				// 204 and 101 carry no body; HEAD carries none by definition.
				if (path.startsWith("/api/") && method !== "HEAD" && response.status !== 101 && response.status !== 204) {
					expect(response.headers.get("Content-Type"), what).toMatch(/^application\/json/);
					if (response.status >= 400) expect(JSON.parse(text), what).toHaveProperty("error");
				}
			}),
			{ numRuns: 4000 },
		);
		expect(runs).toBe(4000);
		// Whatever was accepted was stored in a form that still reads back through its schema.
		const listed = await api("/api/cases");
		expect(listed.status).toBe(200);
		for (const stored of (await listed.json<{ cases: CaseRecord[] }>()).cases) expect(CaseSchema.safeParse(stored).success).toBe(true);
	}, 120_000);
});

// ---- frames -----------------------------------------------------------------------------------

const clientId = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_.:-]{1,64}$/), nastyText);
const extra = fc.dictionary(fc.string({ maxLength: 8 }), anyJson, { maxKeys: 2 });
const frame = fc.oneof(
	{ weight: 10, arbitrary: fc.record({ type: fc.constant(CLIENT.message), clientId, text: nastyText }) },
	{ weight: 3, arbitrary: fc.record({ type: fc.constant(CLIENT.read), seq: fc.oneof(fc.integer(), fc.double(), anyJson) }) },
	{ weight: 3, arbitrary: fc.constantFrom(CLIENT.typing, CLIENT.ping).chain((type) => extra.map((more) => ({ ...more, type }))) },
	{ weight: 1, arbitrary: fc.constantFrom(CLIENT.leave, CLIENT.end, CLIENT.resolve).map((type) => ({ type })) },
	{ weight: 3, arbitrary: anyJson },
	{ weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 300 }).map((raw) => ({ raw })) },
);
const encode = (f: unknown) => (typeof f === "object" && f !== null && "raw" in f && typeof f.raw === "string" ? f.raw : JSON.stringify(f));

describe("generated frames of every type", () => {
	it("keep the chat's object answering, and everything stored replays as valid events", async () => {
		let sent = 0;
		await fc.assert(
			fc.asyncProperty(fc.array(frame, { minLength: 30, maxLength: 50 }), async (frames) => {
				const started = await newSession();
				const customer = await TestClient.connect(await joinAsCustomer(started));
				const agentJoined = await joinAsAgent(started.sessionId);
				for (const f of frames) customer.send(encode(f));
				sent += frames.length;
				// Frames on one socket are handled in order: a pong (or the close a leave or an end causes) comes after all of them.
				const pongs = customer.frames.filter((f) => f.type === "pong").length;
				if (!customer.closed) customer.send({ type: CLIENT.ping });
				await customer.until(() => customer.closed ?? customer.frames.filter((f) => f.type === "pong").length > pongs, "a pong or a close after the frames");
				customer.close();
				// The object still answers a new connection, and replays the whole log: each event parsed by the protocol's schema, seq 1 … lastSeq.
				const replay = await TestClient.connect(agentJoined);
				const state = await replay.frameOf("state");
				await replay.until(() => replay.events.length >= state.state.lastSeq, "the whole log");
				expect(replay.events.map((e) => e.seq)).toEqual(Array.from({ length: state.state.lastSeq }, (_, i) => i + 1));
				replay.close();
			}),
			{ numRuns: 200 },
		);
		expect(sent).toBeGreaterThanOrEqual(6000);
	}, 180_000);
});
