/**
 * Who may do what in a chat session, and who sees what of each event: the one place that names
 * roles. A new role or a new kind of event is one change here; the rest of the session asks.
 */
import type { ErrorCode, RecordingMode, Role, SessionEvent } from "../shared/protocol";
import type { EndRequest } from "./contract";

/**
 * What a participant can ask of a session. `add_member` is making an invite link for someone new
 * (whom for, `INVITES` says); `remove`, taking someone out of the chat (whom, `REMOVES` says);
 * `revoke_link`, taking back a link (one's own, or any for agents: `mayRevoke`); `revise`, editing
 * or deleting one's own message; `device_link`, a link to continue on another device; `people`,
 * the list of devices and people in the chat. `watch` is opening a socket to follow the chat;
 * `send_file` is starting, sending and completing a file; `open_file` is downloading one.
 */
export const ACTIONS = ["message", "typing", "read", "leave", "end", "resolve", "note", "invite", "watch", "send_file", "open_file", "add_member", "remove", "revoke_link", "revise", "device_link", "people"] as const;
/**
 * Handing a chat over: `transfer` is offering it to another agent, cancelling that offer, or putting
 * the chat back in the queue; `answer_transfer` is accepting or declining an offer, from outside the
 * chat. They are the support desk's alone (`isAgentSide`): every other role, present or future, may never.
 */
export const TRANSFER_ACTIONS = ["transfer", "answer_transfer"] as const;
type TransferAction = (typeof TRANSFER_ACTIONS)[number];
export type Action = (typeof ACTIONS)[number] | TransferAction;

/** `present`: only while in the chat; `always`: also from outside it (an agent's console); `never`. */
type Rule = "present" | "always" | "never";

/** The members' actions (`MemberAction`) have their rules for the first two roles in `BY_ROLE`. */
type MemberAction = "add_member" | "remove" | "revoke_link" | "revise" | "device_link" | "people";

const RULES: Record<"agent" | "customer", Record<Exclude<(typeof ACTIONS)[number], MemberAction>, Rule>> = {
	agent: { message: "present", typing: "present", read: "present", leave: "present", end: "always", resolve: "always", note: "always", invite: "always", watch: "present", send_file: "present", open_file: "always" },
	customer: { message: "present", typing: "present", read: "present", leave: "present", end: "present", resolve: "present", note: "never", invite: "never", watch: "present", send_file: "present", open_file: "present" },
};
/** Every role's rules: the members' actions for agents and customers, and the roles that came with members. */
const BY_ROLE: Record<Role, Record<(typeof ACTIONS)[number], Rule>> = {
	agent: { ...RULES.agent, add_member: "always", remove: "always", revoke_link: "always", revise: "present", device_link: "never", people: "always" },
	customer: { ...RULES.customer, add_member: "present", remove: "present", revoke_link: "present", revise: "present", device_link: "present", people: "present" },
	// Colleagues chat and send files; only the owner and agents end the chat, resolve the case or bring more people in.
	member: { message: "present", typing: "present", read: "present", leave: "present", end: "never", resolve: "never", note: "never", invite: "never", watch: "present", send_file: "present", open_file: "present", add_member: "never", remove: "never", revoke_link: "present", revise: "present", device_link: "present", people: "present" },
	specialist: { message: "present", typing: "present", read: "present", leave: "present", end: "never", resolve: "never", note: "never", invite: "never", watch: "present", send_file: "present", open_file: "present", add_member: "never", remove: "never", revoke_link: "present", revise: "present", device_link: "present", people: "present" },
};

const TRANSFER_RULES: Record<TransferAction, Rule> = { transfer: "present", answer_transfer: "always" };

function ruleOf(role: Role, action: Action): Rule {
	if (action === "transfer" || action === "answer_transfer") return isAgentSide(role) ? TRANSFER_RULES[action] : "never";
	return BY_ROLE[role][action];
}

/** Whom each role may invite by a link of its own: the customer their colleagues, an agent colleagues of the customer's or a specialist. */
export const INVITES: Record<Role, readonly Role[]> = { agent: ["member", "specialist"], customer: ["member"], member: [], specialist: [] };

/** Whom each role may remove: the owner their colleagues; an agent anyone but the owner; only agents remove agents. */
export const REMOVES: Record<Role, readonly Role[]> = { agent: ["agent", "member", "specialist"], customer: ["member"], member: [], specialist: [] };

export function mayInvite(role: Role, as: Role): boolean {
	return INVITES[role].includes(as);
}

export function mayRemove(role: Role, target: Role): boolean {
	return REMOVES[role].includes(target);
}

/** A link is taken back by whoever made it, or by an agent. */
export function mayRevoke(role: Role, madeIt: boolean): boolean {
	return madeIt || role === "agent";
}


export type Verdict = { ok: true } | { ok: false; code: Extract<ErrorCode, "forbidden" | "session_ended">; message: string };

const OK: Verdict = { ok: true };

/** What still works once a chat has finished: following its log (read once, then the socket closes), and opening its files, kept with the case. */
const AFTER_THE_END: ReadonlySet<Action> = new Set(["watch", "open_file"]);

/** Whether someone of `role` may do `action` now. */
export function permit(role: Role, action: Action, { present, finished }: { present: boolean; finished: boolean }): Verdict {
	const rule = ruleOf(role, action);
	if (rule === "never") return { ok: false, code: "forbidden", message: `a ${role} cannot ${action} here` };
	if (finished) return AFTER_THE_END.has(action) ? OK : { ok: false, code: "session_ended", message: "this chat has ended" };
	if (rule === "present" && !present) return { ok: false, code: "forbidden", message: "you have left this chat" };
	return OK;
}

/** Why the chat ends when someone of `role` ends it. */
export function endReasonFor(role: Role, action: "end" | "resolve"): EndRequest {
	if (action === "resolve") return "resolved";
	return role === "agent" ? "ended_by_agent" : "ended_by_customer";
}

/** The side of the chat a role is on: what it sees of events, and whom the chat waits for, is decided per side. */
export type Side = "agent" | "customer";

export function sideOf(role: Role): Side {
	return role === "agent" || role === "specialist" ? "agent" : "customer";
}

/**
 * Whether this role is the support desk itself: only agents make a chat active, and the last
 * one's leaving starts the wait. A specialist sees what agents see but does not stand in for one.
 */
export function isAgentSide(role: Role): boolean {
	return role === "agent";
}

/** Whether a message from this role while the agent is away brings the chat back ("Hey, I'm back"). */
export function bringsChatBack(role: Role): boolean {
	return sideOf(role) === "customer";
}

/**
 * What someone of `side` sees of an event: the event itself where they see all of it. Agents see
 * everything. An invite's recipient and the provider's answer are the agent's business: customers
 * learn only that an invite went out. Whom a chat is being offered to is the support desk's too:
 * customers learn whom it was handed to once it is (`transferred`).
 */
export function viewOf(side: Side, event: SessionEvent): SessionEvent {
	if (side === "agent") return event;
	if (event.type === "transfer_offered" || event.type === "transfer_withdrawn") return { ...event, to: { id: "", name: "" } };
	return event.type === "invite_sent" ? { ...event, to: "", detail: "" } : event;
}

/**
 * What `side` sees of a message, or a revision of one, that a later edit or delete superseded:
 * agents keep every revision; the others see only what stands now, so its text goes.
 */
export function supersededView(side: Side, event: SessionEvent): SessionEvent {
	if (side === "agent") return event;
	return event.type === "message" || event.type === "message_edited" ? { ...event, text: "" } : event;
}

/**
 * What the agent side sees of what was written while no agent was in the chat: under `strict`
 * recording nothing but its place in the order (so every client still resumes gap-free), else
 * the event itself, which carries its `unattended` mark.
 */
export function unattendedView(mode: RecordingMode, event: SessionEvent): SessionEvent {
	return mode === "strict" ? { seq: event.seq, at: event.at, actor: null, type: "withheld" } : event;
}
