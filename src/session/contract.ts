/**
 * What the Worker's routes and the other objects rely on of a chat session: what it is opened
 * with, what its RPC calls answer, how the verified participant is handed to its socket door, and
 * where it writes in R2. Nothing here depends on how the session is built inside.
 */
import { z } from "zod";
import type { Actor, EndReason, ErrorCode, Role, SessionState } from "../shared/protocol";
import type { CaseSession } from "../shared/transfer";
import { RECORDING_MODES, ROLES, SEVERITIES } from "../shared/protocol";
import type { Refusal } from "../shared/refusals";
import { parseJsonAs } from "../shared/json";

export const SessionInitSchema = z.object({
	sessionId: z.string(),
	caseId: z.string(),
	subject: z.string(),
	severity: z.enum(SEVERITIES),
	customerName: z.string(),
	createdBy: z.string(),
	createdAt: z.number(),
	/** The invite token's secret: the session hands the link back to a customer who joined by key. */
	inviteSecret: z.string(),
	supportKey: z.string(),
	keyExpiresAt: z.number(),
	chatMaxMs: z.number(),
	disconnectWaitMs: z.number(),
	/** A chat a customer started: the team whose router hears of its changes, and the queue it waits in. */
	routing: z.object({ team: z.string(), queue: z.string() }).optional(),
	/** What agents see of what was written before they joined; `show` when not given (sessions opened before the setting). */
	recording: z.enum(RECORDING_MODES).optional(),
});
export type SessionInit = z.infer<typeof SessionInitSchema>;

/** `deviceId` is what the participant token must carry: the session revokes it when its participant leaves. */
export type Admission =
	| { ok: true; actor: Actor; deviceId: string; sessionId: string; caseId: string; inviteSecret: string; team?: string }
	| { ok: false; reason: Refusal };

export const ActorSchema = z.object({ id: z.string(), role: z.enum(ROLES), name: z.string() });

/** The participant the Worker verified, the device their token was issued for, and for an agent the console sign-in it came with. */
export const SocketActorSchema = ActorSchema.extend({ deviceId: z.string(), signIn: z.string().optional() });
export type SocketActor = z.infer<typeof SocketActorSchema>;

/** The socket's participant from the Worker's `ACTOR_HEADER`; null if it is missing or not one. */
export function socketActorOf(header: string | null): SocketActor | null {
	return header ? parseJsonAs(SocketActorSchema, header) : null;
}

/** How a customer (or a member, by a link of theirs) proves they may join: the secret of a signed link, or a support key the directory matched. */
export type CustomerProof = { inviteSecret: string } | { supportKeyChecked: true };

/** The ends a participant can ask for; the others (time limits, a replaced key) are the session's own. */
export type EndRequest = Extract<EndReason, "ended_by_agent" | "ended_by_customer" | "resolved">;

/** What an invite for a session carries. */
export interface Invitation {
	caseId: string;
	supportKey: string;
	inviteSecret: string;
	/** Null once the key can no longer start the chat. */
	keyExpiresAt: number | null;
}

/** The customer's participant id: a session has one customer. */
export const CUSTOMER_ID = "customer";

/** What a session knows of each participant when it decides a command. */
export interface MemberFacts {
	role: Role;
	present: boolean;
	lastReadSeq: number;
}

/** Header by which the Worker hands the verified participant to the object's socket door. */
export const ACTOR_HEADER = "x-chat-actor";

/**
 * Header by which the Worker hands a session the secret of an invite link whose MAC it checked
 * (routes/join.ts, the join socket): the session admits, answers and upgrades in one call.
 */
export const JOIN_LINK_HEADER = "x-chat-join-link";

/** Where an ended session's transcript lives in R2. */
export function transcriptKey(caseId: string, sessionId: string): string {
	return `transcripts/${caseId}/${sessionId}.json`;
}

/** What an agent asks of a chat's transfer: offer it to another agent, cancel that, answer an offer, or put the chat back in the queue. */
export type TransferAsk =
	| { type: "offer_transfer"; to: Actor }
	| { type: "cancel_transfer" }
	| { type: "answer_transfer"; accept: boolean }
	| { type: "transfer_to_queue" };

/** The chat as it then stands, or why the session did not do it (`unknown`: no such session). */
export type TransferOutcome = { ok: true; state: SessionState } | { ok: false; code: ErrorCode | "unknown"; message: string };

/** A session as its case's history lists it (the Worker adds whether its transcript is written). */
export type SessionSummary = Omit<CaseSession, "transcript">;
