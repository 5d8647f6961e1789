/**
 * What the people in a chat see of each other once they do things: a colleague who sits there
 * doing nothing goes idle and is active again when they type or write; each person's own read
 * position; and what a colleague reads of a chat under the strict recording setting.
 */
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Joined } from "../../src/shared/api";
import type { ParticipantView } from "../../src/shared/protocol";
import { IDLE_AFTER_MS } from "../../src/shared/protocol";
import { presenceOf } from "../../src/shared/presence";
import type { ChatSession } from "../../src/session/chat-session";
import { TestClient, joinAsAgent, joinAsCustomer, newSession, sessionStub, timePasses } from "./helpers";
import { joinByLink, makeLink, peopleOf, seqs, strictSession } from "./member-helpers";

/** The session's own now, moved on by `timePasses`. */
function sessionNow(sessionId: string): Promise<number> {
	return runInDurableObject(sessionStub(sessionId), (instance: ChatSession) => instance.clock());
}

/** A customer in a chat and a colleague they invited, both connected. */
async function customerAndColleague() {
	const started = await newSession();
	const customerJoin = await joinAsCustomer(started);
	const customer = await TestClient.connect(customerJoin);
	await customer.frameOf("state");
	const samJoin = await joinByLink((await makeLink(customerJoin, started.sessionId, { kind: "invite", role: "member", name: "Sam" })).url);
	const sam = await TestClient.connect(samJoin);
	await sam.frameOf("state");
	return { started, customerJoin, customer, samJoin, sam };
}

/** Sam as the customer's people list has them, and what their presence is at the session's now. */
async function samAsSeen(customerJoin: Joined, sessionId: string, samId: string) {
	const person = (await peopleOf(customerJoin, sessionId)).people.find((p) => p.id === samId);
	if (!person) throw new Error("Sam is not in the people list");
	return { person, presence: presenceOf(person, await sessionNow(sessionId)) };
}

describe("a colleague's presence after what they do", () => {
	it("still knows when they last wrote after the session has been out of memory (hibernated or evicted)", async () => {
		const { started, customerJoin, samJoin, sam } = await customerAndColleague();
		sam.say("still-here", "Still looking into it");
		const { seq } = await sam.stored("still-here");
		const wroteAt = (await sam.until(() => sam.events.find((e) => e.seq === seq), "Sam's own message")).at;
		await evictDurableObject(sessionStub(started.sessionId));
		const seen = await samAsSeen(customerJoin, started.sessionId, samJoin.participantId);
		expect(seen.person.lastActiveAt).toBe(wroteAt);
	});

	it("still knows since when they are connected after the session has been out of memory, though their arrival wrote nothing", async () => {
		const { started, customerJoin, samJoin } = await customerAndColleague();
		const before = await samAsSeen(customerJoin, started.sessionId, samJoin.participantId);
		expect(before.person).toMatchObject({ online: true, since: expect.any(Number) });
		// An arrival is kept in its socket's tag (src/session/online.ts), not in the people table.
		const rows = await runInDurableObject(sessionStub(started.sessionId), (_: ChatSession, state) =>
			state.storage.sql.exec("SELECT count(*) AS n FROM people WHERE id = ?", samJoin.participantId).one().n,
		);
		expect(rows).toBe(0);
		await evictDurableObject(sessionStub(started.sessionId));
		const after = await samAsSeen(customerJoin, started.sessionId, samJoin.participantId);
		expect(after.person).toMatchObject({ online: true, since: before.person.since });
		expect(after.presence.state).toBe("connected");
	});

	it("keeps since when they are connected while they move from one socket to another, before and after a wake", async () => {
		const { started, customerJoin, samJoin, sam } = await customerAndColleague();
		const { sessionId } = started;
		const first = await samAsSeen(customerJoin, sessionId, samJoin.participantId);
		await timePasses(sessionId, 60_000);
		// A second socket (a phone's new connection before the old one has gone), then the first closes.
		const again = await TestClient.connect(samJoin);
		await again.frameOf("state");
		sam.close();
		// The session answers the close once it has dealt with it.
		await sam.untilClosed();
		const moved = await samAsSeen(customerJoin, sessionId, samJoin.participantId);
		expect(moved.person).toMatchObject({ online: true, since: first.person.since });
		await evictDurableObject(sessionStub(sessionId));
		expect((await samAsSeen(customerJoin, sessionId, samJoin.participantId)).person).toMatchObject({ online: true, since: first.person.since });
		again.close();
	});

	it("is idle after five minutes of doing nothing, and connected again once they type, and again once they write", async () => {
		const { started, customerJoin, customer, samJoin, sam } = await customerAndColleague();
		const { sessionId } = started;
		const connected = await samAsSeen(customerJoin, sessionId, samJoin.participantId);
		expect(connected.person).toMatchObject({ online: true, lastActiveAt: null });
		expect(connected.presence.state).toBe("connected");

		// Connected, nothing done: idle from five minutes after they came.
		await timePasses(sessionId, IDLE_AFTER_MS + 60_000);
		const idle = await samAsSeen(customerJoin, sessionId, samJoin.participantId);
		expect(idle.person.online).toBe(true);
		expect(idle.presence).toEqual({ state: "idle", since: (connected.person.since ?? 0) + IDLE_AFTER_MS });

		// A keystroke: the customer sees them typing, and they are connected again, active now.
		const typedAt = await sessionNow(sessionId);
		sam.send({ type: "typing" });
		await customer.until(() => customer.frames.some((f) => f.type === "typing" && f.actor.id === samJoin.participantId), "Sam typing");
		const typed = await samAsSeen(customerJoin, sessionId, samJoin.participantId);
		expect(typed.person.lastActiveAt).toBeGreaterThanOrEqual(typedAt);
		expect(typed.presence.state).toBe("connected");

		// Idle again, then a message brings them back, with the time of the message.
		await timePasses(sessionId, IDLE_AFTER_MS + 60_000);
		expect((await samAsSeen(customerJoin, sessionId, samJoin.participantId)).presence.state).toBe("idle");
		const wroteAt = await sessionNow(sessionId);
		sam.say("back", "Sorry, was in a meeting");
		await sam.stored("back");
		const wrote = await samAsSeen(customerJoin, sessionId, samJoin.participantId);
		expect(wrote.person.lastActiveAt).toBeGreaterThanOrEqual(wroteAt);
		expect(wrote.person.lastActiveAt).toBeGreaterThan(typed.person.lastActiveAt ?? 0);
		expect(wrote.presence.state).toBe("connected");

		// The frames say the same to whoever comes in now: an agent's state, the others' presence.
		const presenceBefore = customer.frames.length;
		const agent = await TestClient.connect(await joinAsAgent(sessionId));
		const inState = (await agent.frameOf("state")).state.participants.find((p) => p.id === samJoin.participantId);
		expect(inState?.lastActiveAt).toBe(wrote.person.lastActiveAt);
		const inPresence = await customer.until(
			() => customer.frames.slice(presenceBefore).flatMap((f) => (f.type === "presence" ? f.participants : [])).find((p: ParticipantView) => p.id === samJoin.participantId),
			"a presence frame with Sam",
		);
		expect(inPresence.lastActiveAt).toBe(wrote.person.lastActiveAt);
		expect(presenceOf(inPresence, await sessionNow(sessionId)).state).toBe("connected");
		agent.close();
		sam.close();
		customer.close();
	});
});

describe("each person's read position", () => {
	it("is their own: the customer and their colleague read up to different messages, and everyone is told each one's", async () => {
		const { started, customer, samJoin, sam } = await customerAndColleague();
		for (const [id, text] of [["m1", "one"], ["m2", "two"], ["m3", "three"]] as const) customer.say(id, text);
		await sam.until(() => sam.messages().includes("three"), "the three messages");
		const seqOf = (text: string) => sam.events.find((e) => e.type === "message" && e.text === text)?.seq ?? 0;

		customer.send({ type: "read", seq: seqOf("three") });
		sam.send({ type: "read", seq: seqOf("one") });
		// Both hear both reads, each for its own reader.
		for (const client of [customer, sam]) {
			await client.until(() => client.frames.some((f) => f.type === "read" && f.participantId === "customer" && f.seq === seqOf("three")), "the customer's read");
			await client.until(() => client.frames.some((f) => f.type === "read" && f.participantId === samJoin.participantId && f.seq === seqOf("one")), "Sam's read");
		}

		// Whoever comes in now is given each one's position, and so is everyone already there.
		const presenceBefore = sam.frames.length;
		const agent = await TestClient.connect(await joinAsAgent(started.sessionId));
		const positions = (participants: ParticipantView[]) => Object.fromEntries(participants.filter((p) => p.role !== "agent").map((p) => [p.id, p.lastReadSeq]));
		const expected = { customer: seqOf("three"), [samJoin.participantId]: seqOf("one") };
		expect(positions((await agent.frameOf("state")).state.participants)).toEqual(expected);
		const presence = await sam.frameOf("presence", presenceBefore);
		expect(positions(presence.participants)).toEqual(expected);

		// A read position never moves back.
		sam.send({ type: "read", seq: 1 });
		sam.say("after", "noted");
		await agent.until(() => agent.messages().includes("noted"), "Sam's message");
		const again = await TestClient.connect(await joinAsAgent(started.sessionId));
		expect(positions((await again.frameOf("state")).state.participants)).toEqual(expected);
		again.close();
		agent.close();
		sam.close();
		customer.close();
	});
});

describe("a colleague in a chat under the strict recording setting", () => {
	it("reads what the customer side wrote before support came, which the agent gets only the places of", async () => {
		const { sessionId, customerJoin, customer } = await strictSession();
		customer.say("early", "my account number is 4711");
		await customer.stored("early");

		// Sam comes in afterwards: given what was written before them, marked as written with nobody from support there.
		const samJoin = await joinByLink((await makeLink(customerJoin, sessionId, { kind: "invite", role: "member", name: "Sam" })).url);
		const sam = await TestClient.connect(samJoin);
		await sam.until(() => sam.messages().includes("my account number is 4711"), "the customer's earlier message");
		expect(sam.events.find((e) => e.type === "message")).toMatchObject({ actor: { id: "customer" }, text: "my account number is 4711", unattended: true });
		// And, live, what either of them writes while they wait.
		customer.say("meanwhile", "Sam, can you check the invoice?");
		sam.say("sams", "Invoice 0815 looks wrong to me");
		await sam.until(() => sam.messages().includes("Sam, can you check the invoice?"), "the customer's message while waiting");
		await customer.until(() => customer.messages().includes("Invoice 0815 looks wrong to me"), "Sam's message while waiting");

		// The agent who comes now has the three places, nothing of what was in them.
		const agent = await TestClient.connect(await joinAsAgent(sessionId));
		const lastBefore = sam.events.at(-1)?.seq ?? 0;
		await agent.until(() => agent.events.some((e) => e.seq === lastBefore), "the replay");
		expect(agent.events.filter((e) => e.type === "withheld")).toHaveLength(3);
		expect(agent.messages()).toEqual([]);
		expect(JSON.stringify(agent.frames)).not.toMatch(/4711|invoice|0815/i);

		// Once the agent is there, Sam hears them like anyone; and coming back later, still has what was written before.
		agent.say("hello", "Hello, I'm here now");
		await sam.until(() => sam.messages().includes("Hello, I'm here now"), "the agent's message");
		sam.close();
		await sam.untilClosed();
		const samAgain = await TestClient.connect(samJoin);
		await samAgain.until(() => samAgain.messages().includes("Hello, I'm here now"), "Sam's replay");
		expect(samAgain.messages()).toEqual(["my account number is 4711", "Sam, can you check the invoice?", "Invoice 0815 looks wrong to me", "Hello, I'm here now"]);
		expect(seqs(samAgain.events)).toEqual(Array.from({ length: samAgain.events.length }, (_, i) => i + 1));
		samAgain.close();
		agent.close();
		customer.close();
	});
});
