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
export type Action = (typeof ACTIONS)[number];

/** `present`: only while in the chat; `always`: also from outside it (an agent's console); `never`. */
type Rule = "present" | "always" | "never";

const RULES: Record<Role, Record<Action, Rule>> = {
	agent: { message: "present", typing: "present", read: "present", leave: "present", end: "always", resolve: "always", note: "always", invite: "always", watch: "present", send_file: "present", open_file: "always" },
	customer: { message: "present", typing: "present", read: "present", leave: "present", end: "present", resolve: "present", note: "never", invite: "never", watch: "present", send_file: "present", open_file: "present" },
};

export type Verdict = { ok: true } | { ok: false; code: Extract<ErrorCode, "forbidden" | "session_ended">; message: string };

const OK: Verdict = { ok: true };

/** What still works once a chat has finished: following its log (read once, then the socket closes), and opening its files, kept with the case. */
const AFTER_THE_END: ReadonlySet<Action> = new Set(["watch", "open_file"]);

/** Whether someone of `role` may do `action` now. */
export function permit(role: Role, action: Action, { present, finished }: { present: boolean; finished: boolean }): Verdict {
	const rule = RULES[role][action];
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
 * learn only that an invite went out.
 */
export function viewOf(side: Side, event: SessionEvent): SessionEvent {
	if (side === "agent") return event;
	return event.type === "invite_sent" ? { ...event, to: "", detail: "" } : event;
}
