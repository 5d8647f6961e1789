/**
 * The case directory in shards (DIRECTORY_SHARDS, src/directory/shards.ts): cases spread over the
 * shards, a key leads to its case's shard, the case list and the queue see every shard, and the
 * wrong-key limits are each shard's share. Runs with four shards (vitest.shards.config.ts) and,
 * in the main run, with one.
 */
import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import type { CaseRecord, StartedSession } from "../../src/shared/api";
import { caseDigits, shardOfDigits } from "../../src/directory/shards";
import { TestClient, api, joinAsAgent, joinAsCustomer, newCase, post } from "./helpers";

const SHARDS = Number(env.DIRECTORY_SHARDS ?? "1");
const shardOfCase = (caseId: string) => shardOfDigits(caseDigits(caseId), SHARDS);
const startSession = (caseId: string) => post<StartedSession>(`/api/cases/${caseId}/sessions`, {}, 201);
const queue = async () => (await (await api("/api/queue")).json<{ queue: { sessionId: string; subject: string; severity: string }[] }>()).queue;
const listed = async () => (await (await api("/api/cases")).json<{ cases: CaseRecord[] }>()).cases.map((c) => c.caseId);
const joinByKey = (supportKey: string, address: string) => api("/api/join", { method: "POST", agent: false, body: JSON.stringify({ supportKey }), headers: { "CF-Connecting-IP": address } });

describe(`the case directory in ${SHARDS} shard(s)`, () => {
	it("spreads new cases over the shards, and lists and finds every one of them", async () => {
		const created: CaseRecord[] = [];
		for (let i = 0; i < 24; i++) created.push(await newCase(`Shard check ${i}`));
		const shards = new Set(created.map((c) => shardOfCase(c.caseId)));
		// 24 cases over four shards landing in two or fewer would be a draw of about 1 in 3 million.
		if (SHARDS === 1) expect(shards).toEqual(new Set([0]));
		else expect(shards.size).toBeGreaterThanOrEqual(3);
		const all = await listed();
		for (const { caseId, subject } of created) {
			expect(all).toContain(caseId);
			const found = await api(`/api/cases/${caseId}`);
			expect(found.status).toBe(200);
			expect(await found.json()).toMatchObject({ caseId, subject });
		}
	});

	it("gives a session a key that leads to its case's shard, and joins with it", async () => {
		for (let i = 0; i < 6; i++) {
			const created = await newCase(`Key check ${i}`);
			const started = await startSession(created.caseId);
			expect(shardOfDigits(started.supportKey, SHARDS)).toBe(shardOfCase(created.caseId));
			const joined = await joinAsCustomer(started);
			expect(joined.caseId).toBe(created.caseId);
		}
	});

	it("shows waiting chats from every shard in the one queue, with their subject, and takes them out when an agent joins", async () => {
		const waiting: StartedSession[] = [];
		for (let i = 0; i < 6; i++) {
			const started = await startSession((await newCase(`Queue check ${i}`)).caseId);
			await TestClient.connect(await joinAsCustomer(started));
			waiting.push(started);
		}
		await vi.waitFor(async () => {
			const entries = await queue();
			for (const [i, started] of waiting.entries()) expect(entries).toContainEqual(expect.objectContaining({ sessionId: started.sessionId, subject: `Queue check ${i}`, severity: "high" }));
		});
		const [first] = waiting;
		if (!first) throw new Error("no session");
		await TestClient.connect(await joinAsAgent(first.sessionId));
		await vi.waitFor(async () => expect((await queue()).map((q) => q.sessionId)).not.toContain(first.sessionId));
	});

	it("counts an address's wrong keys in the shard each key leads to, each shard allowing its share of the limit", async () => {
		const perShard = Math.ceil(10 / SHARDS);
		const address = "203.0.113.77";
		// Wrong keys that all lead to shard 0: the address is stopped after that shard's share.
		const statuses: number[] = [];
		for (let i = 0; i <= perShard; i++) statuses.push((await joinByKey(`00${String(i).padStart(7, "0")}`, address)).status);
		expect(statuses.slice(0, perShard)).toEqual(Array(perShard).fill(404));
		expect(statuses.at(-1)).toBe(429);
	});
});
