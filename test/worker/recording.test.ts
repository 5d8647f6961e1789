/** What is written while no agent is in the chat: shown marked by default; under the strict setting kept from agents and the transcript. */
import { describe, expect, it } from "vitest";
import type { Transcript } from "../../src/shared/transcript";
import { TestClient, api, joinAsAgent, joinAsCustomer, newSession } from "./helpers";
import { seqs, strictSession } from "./member-helpers";

const gapFree = (list: number[]) => list.every((seq, i) => seq === i + 1);

describe("recording", () => {
	it("by default shows the agent what was written before they joined, marked, and the customer page knows", async () => {
		const started = await newSession();
		const customer = await TestClient.connect(await joinAsCustomer(started));
		expect((await customer.frameOf("state")).state.recording).toBe("show");
		customer.say("before", "before anyone came");
		await customer.stored("before");
		const agent = await TestClient.connect(await joinAsAgent(started.sessionId));
		await agent.until(() => agent.messages().length === 1, "the message");
		customer.say("after", "after the agent came");
		await agent.until(() => agent.messages().length === 2, "the second message");
		const [before, after] = agent.events.filter((e) => e.type === "message");
		expect(before).toMatchObject({ text: "before anyone came", unattended: true });
		expect(after).not.toHaveProperty("unattended");
		agent.close();
		customer.close();
	});

	it("under the strict setting keeps pre-join messages and their edits from the agent and the transcript, and everything still resumes gap-free", async () => {
		const { sessionId, customerJoin, customer } = await strictSession();
		customer.say("before", "the secret before anyone came");
		const { seq: beforeSeq } = await customer.stored("before");

		const agentJoin = await joinAsAgent(sessionId);
		const agent = await TestClient.connect(agentJoin);
		await agent.frameOf("state");
		customer.send({ type: "edit", of: beforeSeq, text: "the secret, edited" });
		customer.say("after", "after the agent came");
		await agent.until(() => agent.messages().includes("after the agent came"), "the message after");
		// The agent has each place in the order, nothing of what was in it.
		expect(agent.events.find((e) => e.seq === beforeSeq)).toEqual({ seq: beforeSeq, at: expect.any(Number), actor: null, type: "withheld" });
		expect(agent.events.filter((e) => e.type === "withheld")).toHaveLength(2);
		expect(JSON.stringify(agent.frames)).not.toContain("secret");
		expect(gapFree(seqs(agent.events))).toBe(true);
		// The customer side sees its own messages.
		await customer.until(() => customer.messages().includes("after the agent came"), "their own message");
		expect(customer.messages()).toContain("the secret before anyone came");
		expect(customer.events.some((e) => e.type === "message_edited" && e.text === "the secret, edited")).toBe(true);

		// Resuming from the middle, on each side, skips nothing and repeats nothing.
		const mid = beforeSeq;
		const agentAgain = await TestClient.connect(agentJoin, mid);
		const customerAgain = await TestClient.connect(customerJoin, mid);
		const last = customer.events.at(-1)?.seq ?? 0;
		await agentAgain.until(() => agentAgain.events.some((e) => e.seq === last), "the agent's resume");
		await customerAgain.until(() => customerAgain.events.some((e) => e.seq === last), "the customer's resume");
		expect(seqs(agentAgain.events)).toEqual(Array.from({ length: last - mid }, (_, i) => mid + 1 + i));
		expect(seqs(customerAgain.events)).toEqual(Array.from({ length: last - mid }, (_, i) => mid + 1 + i));

		await api(`/api/sessions/${sessionId}/end`, { method: "POST" });
		const transcript = await api(`/api/sessions/${sessionId}/transcript`);
		expect(transcript.status).toBe(200);
		const stored = await transcript.json<Transcript>();
		expect(JSON.stringify(stored)).not.toContain("secret");
		expect(stored.events.some((e) => e.type === "withheld")).toBe(false);
		expect(stored.events.flatMap((e) => (e.type === "message" ? [e.text] : []))).toEqual(["after the agent came"]);
	});
});
