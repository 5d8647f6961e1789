/**
 * Routing profiles and the queue beside the offers: an agent is offered only chats of the queues
 * their profile takes, and cannot watch a team it takes nothing of; a chat offered to one agent
 * can still be picked from the queue by another, and the offer goes away. A chat for a resolved
 * case is refused, and a start refused for any reason adds no chat to the case it names.
 * (vitest.config.ts: the colleague takes only "profiles/billing" of team "profiles" and nothing
 * of "second-line"; dev-agent takes every queue.)
 */
import { runInDurableObject } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { CaseRecord } from "../../src/shared/api";
import type { SessionState } from "../../src/shared/protocol";
import type { MyRouting, TeamInfo } from "../../src/shared/routing";
import type { CaseHistory } from "../../src/shared/transfer";
import type { TeamRouter } from "../../src/routing/team-router";
import { signCaseToken } from "../../src/security/case-token";
import { DEV_CASE_TOKEN_KEY } from "../../src/config";
import { AGENT_TOKEN, COLLEAGUE_TOKEN, ORIGIN, api, joinAsAgent, newCase } from "./helpers";
import { AgentConsole, accept, postChat, routerStub, solvedChallenge, startChat } from "./routing-helpers";

/** Who the team's router has the chat offered to right now (null: nobody). */
function offeredTo(team: string, sessionId: string): Promise<string | null | undefined> {
	return runInDurableObject(routerStub(team), (_i: TeamRouter, state) =>
		state.storage.sql.exec<{ offered_to: string | null }>("SELECT offered_to FROM chats WHERE session_id = ?", sessionId).toArray()[0]?.offered_to,
	);
}

function routingSocket(team: string, token: string): Promise<Response> {
	return exports.default.fetch(new Request(`${ORIGIN}/api/routing/ws?team=${team}`, { headers: { Upgrade: "websocket", Authorization: `Bearer ${token}`, Origin: ORIGIN } }));
}

/** The case's chats, as the console's history lists them. */
async function chatsOfCase(caseId: string): Promise<string[]> {
	const response = await api(`/api/cases/${caseId}/history`);
	expect(response.status).toBe(200);
	return (await response.json<CaseHistory>()).sessions.map((s) => s.sessionId);
}

const caseToken = (caseId: string) => signCaseToken([DEV_CASE_TOKEN_KEY], { caseId, exp: Date.now() + 600_000 });

describe("routing profiles", () => {
	it("offers an agent who takes only a team's billing queue its billing chats, never its general ones, which go to an agent who takes them", async () => {
		const mine = await (await api("/api/routing/me", { agent: false, headers: { Authorization: `Bearer ${COLLEAGUE_TOKEN}` } })).json<MyRouting>();
		expect(mine.teams.map((t) => t.id)).toContain("profiles");
		expect(mine.teams.map((t) => t.id)).not.toContain("second-line");

		const billingOnly = await AgentConsole.open("profiles", COLLEAGUE_TOKEN);
		expect(billingOnly.latest).toMatchObject({ availability: "available", capacity: 1, load: 0, offers: [] });
		// The colleague has room, but their profile does not take the general queue.
		const general = await startChat("profiles", { queue: "general" });
		expect(await offeredTo("profiles", general.sessionId)).toBeNull();
		expect(billingOnly.offered()).toEqual([]);

		const billing = await startChat("profiles", { queue: "billing" });
		const offered = await billingOnly.until((f) => f.offers.length > 0, "the billing offer");
		expect(offered.offers).toEqual([expect.objectContaining({ sessionId: billing.sessionId, queue: "billing" })]);

		const everything = await AgentConsole.open("profiles");
		await everything.until((f) => f.offers.some((o) => o.sessionId === general.sessionId), "the general offer to the agent who takes it");
		expect(everything.offered()).toEqual([general.sessionId]);
		expect(billingOnly.offered()).toEqual([billing.sessionId]);
		billingOnly.close();
		everything.close();
	});

	it("refuses a console for a team the agent's profile takes no queue of", async () => {
		const refused = await routingSocket("second-line", COLLEAGUE_TOKEN);
		expect(refused.status).toBe(403);
		expect(refused.webSocket).toBeNull();
		expect(refused.headers.get("Content-Type")).toMatch(/^application\/json/);
		expect(await refused.json()).toEqual({ error: 'your routing profile takes no queue of team "second-line"' });
		// The team is real: an agent whose profile takes it gets the console.
		const taken = await AgentConsole.open("second-line", AGENT_TOKEN);
		expect(taken.latest).toMatchObject({ team: "second-line", availability: "available" });
		taken.close();
	});
});

describe("a chat offered to one agent", () => {
	it("can still be picked from the queue by another: it is theirs, and the first agent's offer and load let go of it", async () => {
		const first = await AgentConsole.open("picks");
		const second = await AgentConsole.open("picks", COLLEAGUE_TOKEN);
		const started = await startChat("picks");
		// dev-agent's console came first, so they have been idle longest.
		await first.until((f) => f.offers.some((o) => o.sessionId === started.sessionId) && f.load === 1, "the offer to dev-agent");

		const picked = await joinAsAgent(started.sessionId, COLLEAGUE_TOKEN);
		expect(picked).toMatchObject({ sessionId: started.sessionId, role: "agent" });
		await first.until((f) => f.offers.length === 0 && f.load === 0, "dev-agent's offer withdrawn, and not counted");
		await second.until((f) => f.load === 1, "the chat counted as the colleague's");
		expect(second.offered()).toEqual([]);

		const state = await (await api(`/api/sessions/${started.sessionId}`)).json<SessionState>();
		expect(state.status).toBe("active");
		expect(state.participants.filter((p) => p.role === "agent" && p.present).map((p) => p.name)).toEqual(["colleague"]);
		// The offer is gone: dev-agent can no longer accept it.
		expect((await accept("picks", started.sessionId)).status).toBe(409);
		first.close();
		second.close();
	});
});

describe("a chat for a case", () => {
	it("is refused for a case an agent resolved, with a clear message, and adds no chat to it", async () => {
		const existing = await newCase("Refund for order 42");
		const earlier = await startChat("second-line", { caseToken: await caseToken(existing.caseId) });
		expect(earlier.caseId).toBe(existing.caseId);
		expect((await api(`/api/cases/${existing.caseId}/resolve`, { method: "POST" })).status).toBe(200);
		expect((await (await api(`/api/cases/${existing.caseId}`)).json<CaseRecord>()).status).toBe("resolved");

		const token = await caseToken(existing.caseId);
		// The pre-chat form already says so.
		const info = await api(`/api/teams/second-line?caseToken=${encodeURIComponent(token)}`, { agent: false });
		expect(info.status).toBe(409);
		const refused = await postChat("/api/chats", { team: "second-line", queue: "general", name: "Robin", caseToken: token, turnstileToken: await solvedChallenge() });
		expect(refused.status).toBe(409);
		expect(await refused.json()).toEqual({ error: "this case is resolved; start a new chat instead" });
		expect(await chatsOfCase(existing.caseId)).toEqual([earlier.sessionId]);
	});

	it("adds no chat to the case when the start is refused for want of a solved challenge", async () => {
		const existing = await newCase("Invoice address");
		const token = await caseToken(existing.caseId);
		const info = await (await api(`/api/teams/second-line?caseToken=${encodeURIComponent(token)}`, { agent: false })).json<TeamInfo>();
		expect(info.case).toEqual({ caseId: existing.caseId, subject: "Invoice address" });

		const form = { team: "second-line", queue: "general", name: "Robin", caseToken: token };
		expect((await postChat("/api/chats", form)).status).toBe(428);
		expect((await postChat("/api/chats", { ...form, turnstileToken: "never-issued" })).status).toBe(428);
		expect(await chatsOfCase(existing.caseId)).toEqual([]);
		const record = await (await api(`/api/cases/${existing.caseId}`)).json<CaseRecord>();
		expect(record.status).toBe("open");
		expect(record.session ?? null).toBeNull();
	});
});
