/** Handing a chat over, decided without a runtime: one step for the handover, nothing changes hands until it is accepted. */
import { describe, expect, it } from "vitest";
import type { Actor } from "../../src/shared/protocol";
import type { SessionView } from "../../src/session/decision";
import { decide } from "../../src/session/commands";
import type { MemberFacts } from "../../src/session/contract";
import { CUSTOMER_ID } from "../../src/session/contract";
import { started } from "../../src/session/lifecycle";
import { TRANSFER_OFFER_MS } from "../../src/session/transfer";
import { T0, freshRecord } from "./fresh-record";

const agent: Actor = { id: "agent:dev-agent", role: "agent", name: "dev-agent" };
const colleague: Actor = { id: "agent:colleague", role: "agent", name: "colleague" };
const customer: Actor = { id: CUSTOMER_ID, role: "customer", name: "Dana" };
const inChat = (role: Actor["role"]): MemberFacts => ({ role, present: true, lastReadSeq: 0 });

/** The customer and the dev agent chatting. */
function chatting(): SessionView {
	const record = { ...started(freshRecord(), T0), status: "active" as const };
	return { record, members: new Map([[CUSTOMER_ID, inChat("customer")], [agent.id, inChat("agent")]]), lastSeq: 3 };
}

const offered = () => {
	const live = chatting();
	const offer = decide(live, agent, { type: "offer_transfer", to: colleague }, T0 + 10);
	return { ...live, record: offer.record };
};

describe("deciding a transfer", () => {
	it("offers the chat: the offer is recorded with its deadline and told to the target's console; nobody moves", () => {
		const offer = decide(chatting(), agent, { type: "offer_transfer", to: colleague }, T0 + 10);
		expect(offer.error).toBeNull();
		expect(offer.record.transfer).toEqual({ from: { id: agent.id, name: "dev-agent" }, to: { id: colleague.id, name: "colleague" }, offeredAt: T0 + 10, expiresAt: T0 + 10 + TRANSFER_OFFER_MS });
		expect(offer.events).toEqual([{ body: { type: "transfer_offered", to: { id: colleague.id, name: "colleague" }, expiresAt: T0 + 10 + TRANSFER_OFFER_MS }, actor: agent }]);
		expect(offer.effects).toEqual(new Set(["transfer_offer"]));
		expect([offer.enter, offer.leave, offer.close]).toEqual([[], [], []]);
		expect(offer.record.status).toBe("active");
	});

	it("hands over in one decision: the target in, the offerer out and closed, the chat active throughout, with no report", () => {
		const accepted = decide(offered(), colleague, { type: "answer_transfer", accept: true }, T0 + 20);
		expect(accepted.error).toBeNull();
		expect(accepted.enter).toEqual([colleague]);
		expect(accepted.leave).toEqual([agent.id]);
		expect(accepted.revokeDevicesOf).toEqual([agent.id]);
		expect(accepted.close).toEqual([{ participantId: agent.id, code: 1000, reason: "handed over" }]);
		expect(accepted.events.map((e) => e.body)).toEqual([{ type: "transferred", from: { id: agent.id, name: "dev-agent" }, to: { id: colleague.id, name: "colleague" } }]);
		expect(accepted.record).toMatchObject({ status: "active", transfer: null });
		expect(accepted.statusChanged).toBe(false);
		// The directory's queue and case list had nothing to learn; the target's console forgets the offer.
		expect(accepted.effects).toEqual(new Set(["transfer_offer"]));
	});

	it("expires an unanswered offer at the first command after its time, which then finds nothing to accept", () => {
		const late = decide(offered(), colleague, { type: "answer_transfer", accept: true }, T0 + 10 + TRANSFER_OFFER_MS);
		expect(late.events.map((e) => e.body)).toEqual([{ type: "transfer_withdrawn", to: { id: colleague.id, name: "colleague" }, reason: "expired" }]);
		expect(late.error?.code).toBe("conflict");
		expect(late.enter).toEqual([]);
		expect(late.record.transfer).toBeNull();
	});

	it("withdraws the offer when the offering agent leaves, and with the chat when it ends", () => {
		const left = decide(offered(), agent, { type: "leave" }, T0 + 20);
		expect(left.events.map((e) => e.body.type)).toEqual(["transfer_withdrawn", "left", "agent_away"]);
		expect(left.record.transfer).toBeNull();
		const ended = decide(offered(), customer, { type: "end", reason: "ended_by_customer", cascade: false }, T0 + 20);
		expect(ended.record.transfer).toBeNull();
		expect(ended.effects).toEqual(new Set(["transfer_offer", "transcript", "report"]));
	});

	it("puts the chat back in the queue at once: the agent out, the chat waiting and queued for anyone", () => {
		const back = decide({ ...chatting(), record: { ...chatting().record, previousAgent: "someone-earlier" } }, agent, { type: "transfer_to_queue" }, T0 + 20);
		expect(back.error).toBeNull();
		expect(back.leave).toEqual([agent.id]);
		expect(back.record).toMatchObject({ status: "waiting", previousAgent: null, agentWaitEndsAt: null });
		expect(back.effects).toEqual(new Set(["report"]));
		expect(back.events.map((e) => e.body)).toEqual([{ type: "transferred", from: { id: agent.id, name: "dev-agent" }, to: null }]);
	});

	it("lets nobody on the customer side hand the chat over or answer for an agent", () => {
		expect(decide(chatting(), customer, { type: "transfer_to_queue" }, T0).error?.code).toBe("forbidden");
		expect(decide(offered(), customer, { type: "answer_transfer", accept: true }, T0 + 20).error?.code).toBe("forbidden");
	});
});
