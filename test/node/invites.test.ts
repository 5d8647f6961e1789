import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InviteSent, Joined, StartedSession } from "../../src/shared/api";
import type { SessionState } from "../../src/shared/protocol";
import { socketProtocols } from "../../src/shared/socket-auth";
import type { DevServer } from "../support/dev-server";
import { logged, startDevServer } from "../support/dev-server";
import type { FakeSmsProvider } from "../support/fake-sms-provider";
import { startFakeSmsProvider } from "../support/fake-sms-provider";

// Each test signs in as its own agent, so the per-agent limit of one test does not touch another.
const AGENTS = ["ana", "ben", "cem", "dia", "eli", "fay"];

let server: DevServer;
let provider: FakeSmsProvider;

beforeAll(async () => {
	provider = await startFakeSmsProvider();
	server = await startDevServer({
		vars: {
			AGENT_TOKENS: AGENTS.map((name) => `${name}:${name}-token-123456`).join(","),
			SMS_API_BASE: provider.url,
			SMS_ACCOUNT_SID: "AC0123456789",
			SMS_AUTH_TOKEN: "provider-secret",
			SMS_FROM: "+15550001111",
			EMAIL_FROM: "support@example.com",
			// Offline: no Turnstile widget to solve for the left message below (development allows that).
			TURNSTILE_SITE_KEY: "",
		},
	});
});
afterAll(async () => {
	await server?.stop();
	await provider?.close();
});

async function call(agent: string, method: string, path: string, body?: unknown, on: DevServer = server): Promise<Response> {
	return fetch(`${on.url}${path}`, {
		method,
		headers: { Authorization: `Bearer ${agent}-token-123456`, "Content-Type": "application/json" },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
}

async function newSession(agent: string, on: DevServer = server): Promise<StartedSession> {
	const created = (await (await call(agent, "POST", "/api/cases", { subject: "Secret project Zeta" }, on)).json()) as { caseId: string };
	return (await (await call(agent, "POST", `/api/cases/${created.caseId}/sessions`, undefined, on)).json()) as StartedSession;
}

function invite(agent: string, sessionId: string, channel: "sms" | "email", to: string, on: DevServer = server) {
	return call(agent, "POST", `/api/sessions/${sessionId}/invites`, { channel, to }, on);
}

async function inviteEvents(agent: string, sessionId: string, on: DevServer = server) {
	const joined = (await (await call(agent, "POST", `/api/sessions/${sessionId}/agent`, undefined, on)).json()) as Joined;
	const socket = new WebSocket(`${on.url.replace("http", "ws")}${joined.webSocketPath}`, socketProtocols(joined.token));
	const events: { type: string; to?: string; ok?: boolean; detail?: string; channel?: string }[] = [];
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error("no replay")), 10_000);
		socket.addEventListener("message", (message) => {
			const frame = JSON.parse(String(message.data)) as { type: string; events?: typeof events };
			if (frame.type === "events" && frame.events) {
				events.push(...frame.events);
				clearTimeout(timer);
				resolve();
			}
		});
	});
	socket.close();
	return events.filter((e) => e.type === "invite_sent");
}

describe("SMS invites through a Twilio-compatible provider", () => {
	it("sends the link, the key, who invites and the expiry, and nothing else about the case", async () => {
		const started = await newSession("ana");
		const before = provider.received.length;
		const response = await invite("ana", started.sessionId, "sms", "+4915112345678");
		expect(response.status).toBe(201);
		const sent = (await response.json()) as InviteSent;
		expect(sent).toMatchObject({ channel: "sms", to: "+49\u2022\u2022\u2022\u2022\u2022678" });

		const request = provider.received[before]!;
		expect(request.path).toBe("/2010-04-01/Accounts/AC0123456789/Messages.json");
		expect(request.authorization).toBe(`Basic ${Buffer.from("AC0123456789:provider-secret").toString("base64")}`);
		expect(request.form.get("To")).toBe("+4915112345678");
		expect(request.form.get("From")).toBe("+15550001111");
		const body = request.form.get("Body") ?? "";
		expect(body).toContain(started.inviteUrl);
		expect(body).toContain(started.supportKey.replace(/(\d{3})(\d{3})(\d{3})/, "$1 $2 $3"));
		expect(body).toContain("ana");
		expect(body).toContain(`${new Date(started.expiresAt).toISOString().slice(11, 16)} UTC`);
		expect(body).not.toContain("Zeta");
		expect(body).not.toContain(started.caseId);

		const events = await inviteEvents("ana", started.sessionId);
		expect(events).toEqual([expect.objectContaining({ channel: "sms", to: sent.to, ok: true })]);
	});

	it("answers 502 with the provider's reason and records the failure for the agent", async () => {
		const started = await newSession("ben");
		provider.failNext(400, "The 'To' number is not a valid phone number.");
		const response = await invite("ben", started.sessionId, "sms", "+4915112345678");
		expect(response.status).toBe(502);
		expect(((await response.json()) as { error: string }).error).toBe("SMS provider refused (400): The 'To' number is not a valid phone number.");
		const events = await inviteEvents("ben", started.sessionId);
		expect(events).toEqual([expect.objectContaining({ ok: false, detail: "SMS provider refused (400): The 'To' number is not a valid phone number." })]);
	});

	it("limits invites per session per hour and per agent per minute with 429", async () => {
		const shared = await newSession("cem");
		for (const agent of ["cem", "cem", "cem", "dia", "dia"]) expect((await invite(agent, shared.sessionId, "sms", "+4915112345678")).status).toBe(201);
		const perSession = await invite("dia", shared.sessionId, "sms", "+4915112345678");
		expect(perSession.status).toBe(429);
		expect(((await perSession.json()) as { error: string }).error).toContain("this session");

		const other = await newSession("cem");
		expect((await invite("cem", other.sessionId, "sms", "+4915112345678")).status).toBe(201);
		expect((await invite("cem", other.sessionId, "sms", "+4915112345678")).status).toBe(201);
		const perAgent = await invite("cem", other.sessionId, "sms", "+4915112345678");
		expect(perAgent.status).toBe(429);
		expect(((await perAgent.json()) as { error: string }).error).toContain("you (per minute)");
		expect(Number(perAgent.headers.get("Retry-After"))).toBeGreaterThan(0);
	});
});

describe("an invite for a colleague of the customer's", () => {
	it("sends the colleague a link of their own by SMS, without the customer's key, that lets them in as themselves", async () => {
		const started = await newSession("fay");
		const before = provider.received.length;
		const response = await call("fay", "POST", `/api/sessions/${started.sessionId}/invites`, { channel: "sms", to: "+4915112345678", invitee: { role: "member", name: "Sam" } });
		expect(response.status).toBe(201);
		const body = provider.received[before]?.form.get("Body") ?? "";
		const link = /https?:\/\/\S+\/join#invite=[A-Za-z0-9_-]{66}/.exec(body)?.[0] ?? "";
		expect(link).not.toBe("");
		expect(link).not.toBe(started.inviteUrl);
		expect(body).not.toContain(started.supportKey.replace(/(\d{3})(\d{3})(\d{3})/, "$1 $2 $3"));
		const joined = (await (await fetch(`${server.url}/api/join`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ inviteToken: new URL(link).hash.slice(8) }) })).json()) as Joined;
		expect(joined).toMatchObject({ role: "member", resumeUrl: link });
		const people = (await (await call("fay", "GET", `/api/sessions/${started.sessionId}/people`)).json()) as { links: { name: string; madeBy: string }[] };
		expect(people.links).toEqual([expect.objectContaining({ name: "Sam", madeBy: "agent:fay" })]);
	});
});

describe("email invites through the send_email binding", () => {
	it("sends a plain-text and an HTML part with the link and the key, escaped", async () => {
		const started = await newSession("eli");
		const response = await invite("eli", started.sessionId, "email", "dana.scully@example.com");
		expect(response.status).toBe(201);
		expect(((await response.json()) as InviteSent).to).toBe("d\u2022\u2022\u2022@example.com");

		const [, text] = await logged(server, /To: dana\.scully@example\.com[\s\S]*?Text: (\S+)/);
		const [, html] = await logged(server, /To: dana\.scully@example\.com[\s\S]*?HTML: (\S+)/);
		const plain = readFileSync(text!, "utf8");
		expect(plain).toContain(started.inviteUrl);
		expect(plain).toContain("eli from support invites you");
		expect(plain).not.toContain("Zeta");
		const markup = readFileSync(html!, "utf8");
		expect(markup).toContain(`href="${started.inviteUrl}"`);
		expect(markup).toContain(started.supportKey.replace(/(\d{3})(\d{3})(\d{3})/, "$1 $2 $3"));
		expect(server.output()).toContain("From: support@example.com");

		const state = (await (await call("eli", "GET", `/api/sessions/${started.sessionId}`)).json()) as SessionState;
		expect(state.status).toBe("pending");
		const events = await inviteEvents("eli", started.sessionId);
		expect(events).toEqual([expect.objectContaining({ channel: "email", to: "d\u2022\u2022\u2022@example.com", ok: true })]);
	});
});

describe("a message left for the team", () => {
	it("becomes a case, and the customer who gave an address is told by email how they will hear back", async () => {
		const response = await fetch(`${server.url}/api/messages`, {
			method: "POST",
			headers: { "Content-Type": "application/json", Origin: server.url },
			body: JSON.stringify({ team: "support", queue: "general", name: "Robin", email: "robin.receipt@example.com", text: "Please call me back about order 42" }),
		});
		expect(response.status).toBe(201);
		const left = (await response.json()) as { caseId: string; replyBy: string };
		expect(left.replyBy).toBe("email");
		const [, text] = await logged(server, /To: robin\.receipt@example\.com[\s\S]*?Text: (\S+)/);
		const receipt = readFileSync(text!, "utf8");
		expect(receipt).toContain(`we have your message to Support as case ${left.caseId}. Someone will answer you at this address.`);
		expect(receipt).toContain("Please call me back about order 42");
		const found = (await (await call("ana", "GET", `/api/cases/${left.caseId}`)).json()) as { customer: { email?: string } };
		expect(found.customer.email).toBe("robin.receipt@example.com");
	});
});

describe("when the email service refuses", () => {
	// The same Worker, with the send_email binding limited to one recipient (as Email Routing limits
	// it to verified addresses): the simulated binding then refuses anyone else, as the real one would.
	const CONFIG = ".wrangler-refusing-email.toml";
	let refusing: DevServer;

	beforeAll(async () => {
		const project = readFileSync("wrangler.toml", "utf8");
		const limited = project.replace('[[send_email]]\nname = "EMAIL"\n', '[[send_email]]\nname = "EMAIL"\nallowed_destination_addresses = ["verified@example.com"]\n');
		if (limited === project) throw new Error("wrangler.toml has no [[send_email]] binding named EMAIL");
		writeFileSync(CONFIG, limited);
		refusing = await startDevServer({ config: CONFIG, vars: { AGENT_TOKENS: "ana:ana-token-123456", EMAIL_FROM: "support@example.com" } });
	});
	afterAll(async () => {
		await refusing?.stop();
		rmSync(CONFIG, { force: true });
	});

	it("answers 502 with the refusal and records the failure for the agent", async () => {
		const started = await newSession("ana", refusing);
		const response = await invite("ana", started.sessionId, "email", "dana@example.com", refusing);
		expect(response.status).toBe(502);
		expect(((await response.json()) as { error: string }).error).toBe("email refused: email to dana@example.com not allowed");
		expect((await invite("ana", started.sessionId, "email", "verified@example.com", refusing)).status).toBe(201);
		const events = await inviteEvents("ana", started.sessionId, refusing);
		expect(events).toEqual([
			expect.objectContaining({ channel: "email", ok: false, detail: "email refused: email to dana@example.com not allowed" }),
			expect.objectContaining({ channel: "email", ok: true }),
		]);
	});
});
