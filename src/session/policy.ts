/**
 * Who may do what in a chat session, and who sees what of each event: the one place that names
 * roles. A new role or a new kind of event is one change here; the rest of the session asks.
 */
import type { ErrorCode, Role, SessionEvent } from "../shared/protocol";
import type { EndRequest } from "./contract";

/**
 * What a participant can ask of a session. `watch` is opening a socket to follow the chat;
 * `send_file` is starting, sending and completing a file; `open_file` is downloading one.
 */
export const ACTIONS = ["message", "typing", "read", "leave", "end", "resolve", "note", "invite", "watch", "send_file", "open_file"] as const;
/**
 * Handing a chat over: `transfer` is offering it to another agent, cancelling that offer, or putting
 * the chat back in the queue; `answer_transfer` is accepting or declining an offer, from outside the
 * chat. They are the support side's alone, so they are ruled per side: any role on the customer
 * side, present or future, may never.
 */
export const TRANSFER_ACTIONS = ["transfer", "answer_transfer"] as const;
type TransferAction = (typeof TRANSFER_ACTIONS)[number];
export type Action = (typeof ACTIONS)[number] | TransferAction;

/** `present`: only while in the chat; `always`: also from outside it (an agent's console); `never`. */
type Rule = "present" | "always" | "never";

const RULES: Record<Role, Record<(typeof ACTIONS)[number], Rule>> = {
	agent: { message: "present", typing: "present", read: "present", leave: "present", end: "always", resolve: "always", note: "always", invite: "always", watch: "present", send_file: "present", open_file: "always" },
	customer: { message: "present", typing: "present", read: "present", leave: "present", end: "present", resolve: "present", note: "never", invite: "never", watch: "present", send_file: "present", open_file: "present" },
};

const TRANSFER_RULES: Record<Side, Record<TransferAction, Rule>> = {
	agent: { transfer: "present", answer_transfer: "always" },
	customer: { transfer: "never", answer_transfer: "never" },
};

function ruleOf(role: Role, action: Action): Rule {
	return action === "transfer" || action === "answer_transfer" ? TRANSFER_RULES[sideOf(role)][action] : RULES[role][action];
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
	return role === "agent" ? "agent" : "customer";
}

/** Whether this role joins as the support side: only they make a chat active, and their leaving starts the wait. */
export function isAgentSide(role: Role): boolean {
	return sideOf(role) === "agent";
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
