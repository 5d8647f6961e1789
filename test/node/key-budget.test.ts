/**
 * The deployment's budget of wrong support keys: past it, a key join needs a Turnstile challenge,
 * verified against siteverify, which a real HTTP server on loopback plays here.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Challenge, StartedSession } from "../../src/shared/api";
import type { DevServer } from "../support/dev-server";
import { startDevServer } from "../support/dev-server";
import type { FakeTurnstile } from "../support/fake-turnstile";
import { startFakeTurnstile } from "../support/fake-turnstile";

const BUDGET = 3;
let server: DevServer;
let turnstile: FakeTurnstile;

beforeAll(async () => {
	turnstile = await startFakeTurnstile();
	server = await startDevServer({ vars: { TURNSTILE_VERIFY_URL: turnstile.url, WRONG_KEY_BUDGET_PER_MINUTE: String(BUDGET) } });
});
afterAll(async () => {
	await server?.stop();
	await turnstile?.close();
});

function join(body: object, address: string): Promise<Response> {
	return fetch(`${server.url}/api/join`, { method: "POST", headers: { "Content-Type": "application/json", "CF-Connecting-IP": address }, body: JSON.stringify(body) });
}

async function newSession(): Promise<StartedSession> {
	const headers = { Authorization: "Bearer dev-agent-token", "Content-Type": "application/json" };
	const created = (await (await fetch(`${server.url}/api/cases`, { method: "POST", headers, body: JSON.stringify({ subject: "Budget" }) })).json()) as { caseId: string };
	return (await (await fetch(`${server.url}/api/cases/${created.caseId}/sessions`, { method: "POST", headers })).json()) as StartedSession;
}

describe("the deployment's budget of wrong keys", () => {
	it("asks for a challenge once many addresses have spent it, and lets in whoever solves one", async () => {
		const started = await newSession();
		const wrongKey = started.supportKey === "000000000" ? "000000001" : "000000000";
		// Each wrong key from a new address: no address comes near its own limit of 10.
		for (let i = 0; i < BUDGET; i++) expect((await join({ supportKey: wrongKey }, `192.0.2.${i + 1}`)).status).toBe(404);

		// Right or wrong, a key is no longer even looked up without a solved challenge.
		for (const supportKey of [wrongKey, started.supportKey]) {
			const challenged = await join({ supportKey }, "198.51.100.200");
			expect(challenged.status).toBe(428);
			expect((await challenged.json()) as Challenge).toEqual({ error: "confirm you are a person to join with a key", turnstileSiteKey: "1x00000000000000000000AA" });
		}
		expect((await join({ supportKey: started.supportKey, turnstileToken: "never-issued" }, "198.51.100.200")).status).toBe(428);

		turnstile.issue("solved-once");
		const joined = await join({ supportKey: started.supportKey, turnstileToken: "solved-once" }, "198.51.100.200");
		expect(joined.status).toBe(200);
		expect(turnstile.received.at(-1)?.get("secret")).toBe("1x0000000000000000000000000000000AA");
		expect(turnstile.received.at(-1)?.get("remoteip")).toBe("198.51.100.200");
		// Single-use: the same token does not buy a second guess.
		expect((await join({ supportKey: wrongKey, turnstileToken: "solved-once" }, "198.51.100.200")).status).toBe(428);
	});

	it("never holds up an invite link", async () => {
		const started = await newSession();
		const link = new URL(started.inviteUrl).hash.replace("#invite=", "");
		expect((await join({ inviteToken: link }, "198.51.100.201")).status).toBe(200);
	});
});
