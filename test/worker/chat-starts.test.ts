/**
 * Starting a chat from the internet: business hours and leaving a message, a chat for a case by
 * a signed customer token, and the limits and challenge every start passes. A refused start
 * creates no case and no session.
 */
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import type { CaseRecord, Challenge } from "../../src/shared/api";
import type { MessageLeft, TeamInfo } from "../../src/shared/routing";
import { signCaseToken } from "../../src/security/case-token";
import { DEV_CASE_TOKEN_KEY } from "../../src/config";
import worker from "../../src/index";
import { NO_CHALLENGE } from "../../src/routes/chat-guard";
import { ORIGIN, api, newCase } from "./helpers";
import { nextAddress, postChat, solvedChallenge, startChat } from "./routing-helpers";

async function caseCount(): Promise<number> {
	return (await (await api("/api/cases")).json<{ cases: CaseRecord[] }>()).cases.length;
}

async function transcriptText(sessionId: string): Promise<string> {
	let text = "";
	await vi.waitFor(
		async () => {
			const response = await api(`/api/sessions/${sessionId}/transcript`);
			expect(response.status).toBe(200);
			text = await response.text();
		},
		{ timeout: 4000 },
	);
	return text;
}

const form = { team: "limits", queue: "general", name: "Robin" };

describe("out of hours", () => {
	it("says the team is closed, refuses a live chat, and turns a left message into a case with the conversation", async () => {
		const info = await (await api("/api/teams/closed", { agent: false })).json<TeamInfo>();
		expect(info).toMatchObject({ id: "closed", name: "Night shift", open: false, opensAt: null, turnstileSiteKey: "1x00000000000000000000AA" });
		const before = await caseCount();
		const refused = await postChat("/api/chats", { ...form, team: "closed", turnstileToken: await solvedChallenge() });
		expect(refused.status).toBe(409);
		expect((await refused.json<{ error: string }>()).error).toMatch(/Night shift is closed now: leave a message/);
		expect(await caseCount()).toBe(before);

		const left = await postChat("/api/messages", { ...form, team: "closed", email: "robin@example.com", topic: "Refund", text: "Please refund order 42.", turnstileToken: await solvedChallenge() });
		expect(left.status).toBe(201);
		const { caseId, replyBy } = await left.json<MessageLeft>();
		// This deployment sends no email (EMAIL_FROM is empty), so it promises none.
		expect(replyBy).toBe("none");
		const created = await (await api(`/api/cases/${caseId}`)).json<CaseRecord>();
		expect(created).toMatchObject({ subject: "Refund", status: "open", customer: { name: "Robin", email: "robin@example.com" }, session: { status: "ended" } });
		const transcript = await transcriptText(created.session?.sessionId ?? "");
		expect(transcript).toContain("Please refund order 42.");
	});

	it("lets a waiting customer leave a message: the chat so far stays with the case", async () => {
		const started = await startChat("limits");
		const left = await api(`/api/chats/${started.sessionId}/leave-message`, { method: "POST", agent: false, headers: { Authorization: `Bearer ${started.token}` }, body: JSON.stringify({ text: "Call me back tomorrow." }) });
		expect(left.status).toBe(200);
		expect(await left.json<MessageLeft>()).toEqual({ caseId: started.caseId, replyBy: "none" });
		expect(await transcriptText(started.sessionId)).toContain("Call me back tomorrow.");
		const wrongToken = await api(`/api/chats/${started.sessionId}/leave-message`, { method: "POST", agent: false, body: "{}" });
		expect(wrongToken.status).toBe(401);
	});
});

describe("a chat for a case", () => {
	it("opens a session on the case named by a token the business signed, and refuses a forged or expired one", async () => {
		const existing = await newCase("Invoice wrong");
		const token = await signCaseToken([DEV_CASE_TOKEN_KEY], { caseId: existing.caseId, exp: Date.now() + 600_000 });
		const info = await (await api(`/api/teams/limits?caseToken=${encodeURIComponent(token)}`, { agent: false })).json<TeamInfo>();
		expect(info.case).toEqual({ caseId: existing.caseId, subject: "Invoice wrong" });
		const started = await startChat("limits", { caseToken: token });
		expect(started.caseId).toBe(existing.caseId);

		const forged = await signCaseToken(["another-key-of-at-least-32-characters!!"], { caseId: existing.caseId, exp: Date.now() + 600_000 });
		const expired = await signCaseToken([DEV_CASE_TOKEN_KEY], { caseId: existing.caseId, exp: Date.now() - 1 });
		for (const caseToken of [forged, expired]) {
			expect((await postChat("/api/chats", { ...form, caseToken, turnstileToken: await solvedChallenge() })).status).toBe(401);
		}
	});
});

describe("limits on starting chats", () => {
	it("asks for a solved challenge and creates nothing without one", async () => {
		const before = await caseCount();
		const missing = await postChat("/api/chats", form);
		expect(missing.status).toBe(428);
		expect(await missing.json<Challenge>()).toEqual({ error: "confirm you are a person to start a chat", turnstileSiteKey: "1x00000000000000000000AA" });
		expect((await postChat("/api/chats", { ...form, turnstileToken: "never-issued" })).status).toBe(428);
		// Single use: a token that passed once does not pass again.
		const token = await solvedChallenge();
		expect((await postChat("/api/chats", { ...form, turnstileToken: token })).status).toBe(201);
		expect((await postChat("/api/chats", { ...form, turnstileToken: token })).status).toBe(428);
		expect(await caseCount()).toBe(before + 1);
	});

	it("stops one address after its hourly allowance, and the deployment at its ceiling per minute", async () => {
		const address = nextAddress();
		for (let i = 0; i < 10; i++) await startChat("limits", {}, address);
		const before = await caseCount();
		const limited = await postChat("/api/chats", { ...form, turnstileToken: await solvedChallenge() }, address);
		expect(limited.status).toBe(429);
		expect(limited.headers.get("Retry-After")).toMatch(/^\d+$/);
		expect(await caseCount()).toBe(before);

		// 40 a minute across the deployment (vitest.config.ts); this file has started 14 so far.
		const ceiling = Number(env.CHAT_STARTS_PER_MINUTE);
		let status = 201;
		let started = 14;
		while (status === 201 && started <= ceiling) {
			status = (await postChat("/api/chats", { ...form, turnstileToken: await solvedChallenge() })).status;
			if (status === 201) started += 1;
		}
		expect(status).toBe(503);
		expect(started).toBe(ceiling);
		const afterCeiling = await caseCount();
		expect((await postChat("/api/messages", { ...form, text: "hello", turnstileToken: await solvedChallenge() })).status).toBe(503);
		expect(await caseCount()).toBe(afterCeiling);
	});

	it("starts nothing outside development on a deployment without Turnstile keys", async () => {
		const production = {
			...env,
			DEV_MODE: "false",
			AGENT_TOKENS: "alice:a-production-token-of-32-characters",
			PARTICIPANT_TOKEN_KEYS: "p".repeat(48),
			AGENT_SESSION_KEYS: "a".repeat(48),
			INVITE_LINK_KEYS: "i".repeat(48),
			CASE_TOKEN_KEYS: "c".repeat(48),
			TURNSTILE_SITE_KEY: "",
			TURNSTILE_SECRET_KEY: "",
		};
		const before = await caseCount();
		for (const path of ["/api/chats", "/api/messages"]) {
			const body = path === "/api/chats" ? { team: "offers", queue: "general", name: "Robin" } : { team: "closed", queue: "general", name: "Robin", text: "Call me back" };
			const request = new Request(`${ORIGIN}${path}`, { method: "POST", headers: { "Content-Type": "application/json", Origin: ORIGIN, "CF-Connecting-IP": nextAddress() }, body: JSON.stringify(body) });
			const response = await worker.fetch(request, production, createExecutionContext());
			expect({ path, status: response.status, body: await response.json() }).toEqual({ path, status: 503, body: { error: NO_CHALLENGE } });
		}
		expect(await caseCount()).toBe(before);
	});
});
