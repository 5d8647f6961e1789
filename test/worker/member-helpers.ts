/** Members' calls as a client makes them: with the participant's own token, or as the agent. */
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { Joined, LinkMade, People } from "../../src/shared/api";
import type { SessionEvent } from "../../src/shared/protocol";
import { readConfig } from "../../src/config";
import { inviteToken, newInviteSecret } from "../../src/security/invite-token";
import { randomId128 } from "../../src/security/random";
import type { SessionInit } from "../../src/session/contract";
import { ORIGIN, TestClient, api, post, sessionStub } from "./helpers";

/** `who`: a participant's join (their token), or "agent" for the dev agent. */
export type Who = Joined | "agent";

function headersOf(who: Who): RequestInit & { agent?: boolean } {
	return who === "agent" ? {} : { agent: false, headers: { Authorization: `Bearer ${who.token}` } };
}

export function asWho(who: Who, path: string, method: "GET" | "POST", body?: unknown): Promise<Response> {
	return api(path, { ...headersOf(who), method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
}

export async function makeLink(who: Who, sessionId: string, body: unknown, expect = 201): Promise<LinkMade> {
	const response = await asWho(who, `/api/sessions/${sessionId}/links`, "POST", body);
	if (response.status !== expect) throw new Error(`make link: ${response.status} ${await response.text()}`);
	return response.json<LinkMade>();
}

export const tokenOf = (url: string) => new URL(url).hash.replace("#invite=", "");

export function joinByLink(url: string): Promise<Joined> {
	return post<Joined>("/api/join", { inviteToken: tokenOf(url) }, 200, false);
}

export async function peopleOf(who: Who, sessionId: string): Promise<People> {
	const response = await asWho(who, `/api/sessions/${sessionId}/people`, "GET");
	if (response.status !== 200) throw new Error(`people: ${response.status} ${await response.text()}`);
	return response.json<People>();
}

/** Waits until the client holds every event up to `seq`, and says whether each came exactly once and in order. */
export async function eventsUpTo(client: TestClient, seq: number): Promise<SessionEvent[]> {
	await client.until(() => client.events.some((e) => e.seq === seq), `event ${seq}`);
	return client.events;
}

export function seqs(events: SessionEvent[]): number[] {
	return events.map((e) => e.seq);
}

/** A session opened straight on its object, with the strict recording setting, and its customer connected by the invite link. */
export async function strictSession(): Promise<{ sessionId: string; customerJoin: Joined; customer: TestClient }> {
	const sessionId = randomId128();
	const secret = newInviteSecret();
	const now = Date.now();
	const init: SessionInit = {
		sessionId,
		caseId: "case-0000000042",
		subject: "Strict",
		severity: "normal",
		customerName: "Dana",
		createdBy: "dev-agent",
		createdAt: now,
		inviteSecret: secret,
		supportKey: "000000000",
		keyExpiresAt: now + 3600_000,
		chatMaxMs: 90_000_000,
		disconnectWaitMs: 43_200_000,
		recording: "strict",
	};
	await sessionStub(sessionId).open(init);
	const token = await inviteToken(readConfig(env).keys.inviteLinks, { sessionId, secret });
	const customerJoin = await joinByLink(`${ORIGIN}/join#invite=${token}`);
	const customer = await TestClient.connect(customerJoin);
	expect((await customer.frameOf("state")).state.recording).toBe("strict");
	return { sessionId, customerJoin, customer };
}
