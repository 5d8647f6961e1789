/** Deciding members' commands, without a runtime: removal, links, revisions and what is written while no agent is there. */
import { describe, expect, it } from "vitest";
import type { Actor } from "../../src/shared/protocol";
import type { SessionView } from "../../src/session/decision";
import { decide } from "../../src/session/commands";
import type { MemberFacts } from "../../src/session/contract";
import { CUSTOMER_ID } from "../../src/session/contract";
import type { Link } from "../../src/session/links";
import { started } from "../../src/session/lifecycle";
import { HOUR, T0, freshRecord } from "./fresh-record";

const customer: Actor = { id: CUSTOMER_ID, role: "customer", name: "Dana" };
const agent: Actor = { id: "agent:dev-agent", role: "agent", name: "dev-agent" };
const sam: Actor = { id: "member:sam", role: "member", name: "Sam" };
const inChat = (role: Actor["role"]): MemberFacts => ({ role, present: true, lastReadSeq: 0 });

function live(members: Record<string, MemberFacts>, overrides: Partial<SessionView["record"]> = {}, removed: string[] = []): SessionView {
	return { record: { ...started(freshRecord(), T0), status: "active", ...overrides }, members: new Map(Object.entries(members)), lastSeq: 4, removed: new Set(removed) };
}

const samsLink: Link = { id: "l1", kind: "invite", participantId: sam.id, role: "member", name: "Sam", madeBy: CUSTOMER_ID, createdAt: T0, expiresAt: T0 + 24 * HOUR, revokedAt: null };

describe("members", () => {
	it("removing a colleague takes them out, revokes their links and devices, tells everyone, and closes their sockets with a reason", () => {
		const decision = decide(live({ [CUSTOMER_ID]: inChat("customer"), [agent.id]: inChat("agent"), [sam.id]: inChat("member") }), customer, { type: "remove", target: sam }, T0 + 1);
		expect(decision.error).toBeNull();
		expect(decision.events.map((e) => e.body)).toEqual([{ type: "removed", participantId: sam.id, name: "Sam" }]);
		expect(decision.leave).toEqual([sam.id]);
		expect(decision.revokeDevicesOf).toEqual([sam.id]);
		expect(decision.members).toMatchObject({ removed: [{ id: sam.id, by: CUSTOMER_ID }], revokeLinksOf: [sam.id] });
		expect(decision.close).toEqual([{ participantId: sam.id, code: 1008, reason: "removed from this chat", notice: "you were removed from this chat" }]);
	});

	it("removing the last agent leaves the chat waiting for the customer, as the agent's leaving would", () => {
		const other: Actor = { id: "agent:colleague", role: "agent", name: "colleague" };
		const decision = decide(live({ [CUSTOMER_ID]: inChat("customer"), [other.id]: inChat("agent") }), agent, { type: "remove", target: other }, T0 + 1);
		expect(decision.events.map((e) => e.body.type)).toEqual(["removed", "agent_away"]);
		expect(decision.record.status).toBe("waiting");
	});

	it("refuses who may not remove whom, and a link that was revoked, ran out, or belongs to someone removed", () => {
		const members = { [CUSTOMER_ID]: inChat("customer"), [agent.id]: inChat("agent"), [sam.id]: inChat("member") };
		expect(decide(live(members), customer, { type: "remove", target: agent }, T0 + 1).error?.code).toBe("forbidden");
		expect(decide(live(members), sam, { type: "remove", target: customer }, T0 + 1).error?.code).toBe("forbidden");
		expect(decide(live(members), agent, { type: "remove", target: customer }, T0 + 1).error?.code).toBe("forbidden");
		const admit = (link: Link, removed: string[] = [], at = T0 + 1) => decide(live(members, {}, removed), null, { type: "admit_by_link", deviceId: "d9", found: { link, expired: at >= link.expiresAt } }, at).refusal;
		expect(admit({ ...samsLink, revokedAt: T0 })).toBe("link_revoked");
		expect(admit(samsLink, [], T0 + 24 * HOUR)).toBe("link_expired");
		expect(admit(samsLink, [sam.id])).toBe("removed");
		expect(admit(samsLink)).toBeNull();
	});

	it("lets a customer invite a colleague but not a specialist, and a link be revoked by its maker or an agent only", () => {
		const members = { [CUSTOMER_ID]: inChat("customer"), [sam.id]: inChat("member") };
		const link = { ...samsLink, id: "l2", participantId: "member:kim", name: "Kim", secretHash: "h" };
		expect(decide(live(members), customer, { type: "make_link", link, made: 0 }, T0 + 1).members?.links).toEqual([link]);
		expect(decide(live(members), customer, { type: "make_link", link, made: 100 }, T0 + 1).error?.code).toBe("session_full");
		expect(decide(live(members), customer, { type: "make_link", link: { ...link, role: "specialist" }, made: 0 }, T0 + 1).error?.code).toBe("forbidden");
		expect(decide(live(members), sam, { type: "make_link", link, made: 0 }, T0 + 1).error?.code).toBe("forbidden");
		expect(decide(live(members), sam, { type: "revoke_link", linkId: "l1", link: samsLink }, T0 + 1).error?.code).toBe("forbidden");
		expect(decide(live(members), customer, { type: "revoke_link", linkId: "l1", link: samsLink }, T0 + 1).members?.revokeLinks).toEqual(["l1"]);
		expect(decide(live(members), agent, { type: "revoke_link", linkId: "l1", link: samsLink }, T0 + 1).members?.revokeLinks).toEqual(["l1"]);
	});
});

describe("revisions and recording", () => {
	const members = { [CUSTOMER_ID]: inChat("customer"), [agent.id]: inChat("agent") };

	it("revises only one's own message, and not once deleted", () => {
		const mine = { actorId: CUSTOMER_ID, deleted: false, withheld: false };
		expect(decide(live(members), customer, { type: "revise", of: 3, text: "new", target: mine }, T0 + 1).events).toEqual([{ body: { type: "message_edited", of: 3, text: "new" }, actor: customer }]);
		expect(decide(live(members), customer, { type: "revise", of: 3, text: null, target: mine }, T0 + 1).events.map((e) => e.body)).toEqual([{ type: "message_deleted", of: 3 }]);
		expect(decide(live(members), agent, { type: "revise", of: 3, text: "new", target: mine }, T0 + 1).error?.code).toBe("forbidden");
		expect(decide(live(members), customer, { type: "revise", of: 3, text: "new", target: { ...mine, deleted: true } }, T0 + 1).error?.message).toBe("this message was deleted");
		expect(decide(live(members), customer, { type: "revise", of: 99, text: "new", target: null }, T0 + 1).error?.code).toBe("bad_frame");
	});

	it("marks what is written with no agent there, and under strict recording keeps it (and its revisions) from agents", () => {
		const alone = { [CUSTOMER_ID]: inChat("customer") };
		const message = { type: "message", clientId: "c1", text: "hi", rateOk: true, resendOf: null } as const;
		expect(decide(live(alone, { status: "waiting" }), customer, message, T0 + 1).events).toEqual([{ body: { type: "message", clientId: "c1", text: "hi", unattended: true }, actor: customer }]);
		expect(decide(live(alone, { status: "waiting", recording: "strict" }), customer, message, T0 + 1).events[0]?.withheld).toBe(true);
		expect(decide(live(members), customer, message, T0 + 1).events).toEqual([{ body: { type: "message", clientId: "c1", text: "hi" }, actor: customer }]);
		const withheldTarget = { actorId: CUSTOMER_ID, deleted: false, withheld: true };
		expect(decide(live(members, { recording: "strict" }), customer, { type: "revise", of: 3, text: "new", target: withheldTarget }, T0 + 1).events[0]?.withheld).toBe(true);
	});
});
