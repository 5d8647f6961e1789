/**
 * The WebSocket protocol between a chat session and its clients, defined once and used by the
 * Durable Object, the browser pages and the Node client. docs/protocol.md describes every frame.
 */
// zod/mini as a namespace import: the browser pages bundle this module, and so esbuild keeps only
// the parts used (about 30 KB, where classic zod is over 400 KB).
import * as z from "zod/mini";
import { parseJsonAs } from "./json";
import { textChecks } from "./text";

export const LIMITS = {
	/** Largest frame a client may send, in bytes of UTF-8. */
	maxFrameBytes: 16 * 1024,
	/** Longest chat message, in characters. */
	maxMessageChars: 4000,
	/** Longest client-chosen message id. */
	maxClientIdChars: 64,
	/** Events one session keeps at most; a chat is people typing, so only a flood reaches it. */
	maxEventsPerSession: 10_000,
	/** Typing indicators one participant may send, at most one per this many milliseconds. */
	typingIntervalMs: 1000,
	/** Events per `events` frame when replaying a backlog. */
	backlogBatch: 250,
} as const;

/**
 * `customer` is the person who opened the chat (its owner); `member`, a colleague they or an agent
 * invited by a link; `specialist`, someone an agent invited by a link to help on the support side.
 */
export const ROLES = ["agent", "customer", "member", "specialist"] as const;
export type Role = (typeof ROLES)[number];

/**
 * What the agent side sees of messages written while no agent is in the chat: `show` them,
 * marked as sent before the agent joined (the default), or `strict`: never, and they stay out of
 * the case's correspondence (the seed's behaviour). A deployment setting (PRE_JOIN_MESSAGES).
 */
export const RECORDING_MODES = ["show", "strict"] as const;
export type RecordingMode = (typeof RECORDING_MODES)[number];

/** How long without a message, a keystroke or a read a connected person counts as idle. */
export const IDLE_AFTER_MS = 5 * 60_000;

/** waiting: the customer is there and no agent is; active: an agent is in the chat. */
export const SESSION_STATUSES = ["pending", "waiting", "active", "ended", "resolved", "expired"] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/** After these nothing more happens in a session. */
const FINISHED_STATUSES: ReadonlySet<SessionStatus> = new Set(["ended", "resolved", "expired"]);

export function isFinished(status: SessionStatus): boolean {
	return FINISHED_STATUSES.has(status);
}

export const SEVERITIES = ["low", "normal", "high", "urgent"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** `key_replaced`: a newer session of the same case was started before anyone used this one's key. */
export const END_REASONS = ["ended_by_agent", "ended_by_customer", "resolved", "time_limit", "no_return", "key_expired", "key_replaced"] as const;
export type EndReason = (typeof END_REASONS)[number];

/** The status a chat ends in, by why it ended. */
export function statusAfterEnd(reason: EndReason): SessionStatus {
	if (reason === "resolved") return "resolved";
	return reason === "key_expired" || reason === "key_replaced" ? "expired" : "ended";
}

const actorSchema = z.object({ id: z.string(), role: z.enum(ROLES), name: z.string() });
export type Actor = z.infer<typeof actorSchema>;

const INVITE_CHANNELS = ["sms", "email"] as const;
export type InviteChannel = (typeof INVITE_CHANNELS)[number];

/** Why a scanned file was withheld: the scanner found something, or did not answer in time and the deployment blocks then. */
export const FILE_BLOCK_REASONS = ["infected", "not_scanned"] as const;

/** Someone an event names besides its actor (whom a chat was handed to or by). */
const personSchema = z.object({ id: z.string(), name: z.string() });

/** Why an offer to take a chat over came to nothing: the target declined, the offerer cancelled or left, or nobody answered in time. */
export const TRANSFER_WITHDRAWN = ["declined", "cancelled", "offerer_left", "expired"] as const;
export type TransferWithdrawn = (typeof TRANSFER_WITHDRAWN)[number];

/** What an event says, before the log numbers it. */
const eventBodySchema = z.discriminatedUnion("type", [
	// `unattended`: written while no agent was in the chat (shown to agents as sent before they joined).
	z.object({ type: z.literal("message"), clientId: z.string(), text: z.string(), unattended: z.optional(z.literal(true)) }),
	z.object({ type: z.literal("joined") }),
	z.object({ type: z.literal("left") }),
	z.object({ type: z.literal("case_resolved") }),
	z.object({ type: z.literal("chat_ended"), reason: z.enum(END_REASONS) }),
	z.object({ type: z.literal("agent_away"), waitUntil: z.number() }),
	z.object({ type: z.literal("customer_returned") }),
	z.object({ type: z.literal("invite_sent"), channel: z.enum(INVITE_CHANNELS), to: z.string(), ok: z.boolean(), detail: z.string() }),
	// A finished upload (docs/protocol.md, "Files"); `checking` until a configured scanner releases or blocks it.
	z.object({
		type: z.literal("file"),
		fileId: z.string(),
		name: z.string(),
		size: z.number(),
		contentType: z.string(),
		key: z.string(),
		preview: z.boolean(),
		checking: z.boolean(),
	}),
	z.object({ type: z.literal("file_released"), fileId: z.string(), scanned: z.boolean() }),
	z.object({ type: z.literal("file_blocked"), fileId: z.string(), reason: z.enum(FILE_BLOCK_REASONS) }),
	// Handing a chat over (docs/protocol.md, "Transfers"): offered to an agent until `expiresAt`, withdrawn, or done; `to` null is back to the queue.
	z.object({ type: z.literal("transfer_offered"), to: personSchema, expiresAt: z.number() }),
	z.object({ type: z.literal("transfer_withdrawn"), to: personSchema, reason: z.enum(TRANSFER_WITHDRAWN) }),
	z.object({ type: z.literal("transferred"), from: personSchema, to: z.nullable(personSchema) }),
	// The correspondence is append-only (docs/protocol.md, "Edits and deletes"): a revision is an event of its own, pointing at the message.
	z.object({ type: z.literal("message_edited"), of: z.int().check(z.positive()), text: z.string() }),
	z.object({ type: z.literal("message_deleted"), of: z.int().check(z.positive()) }),
	// Someone was removed from the chat (`actor` removed them); their links and devices stop working.
	z.object({ type: z.literal("removed"), participantId: z.string(), name: z.string() }),
	// What the agent side sees, under the strict recording setting, in place of what was written while no agent was there.
	z.object({ type: z.literal("withheld") }),
]);
export type EventBody = z.infer<typeof eventBodySchema>;
export type SessionEventType = EventBody["type"];

const eventEnvelope = z.object({ seq: z.int().check(z.positive()), at: z.number(), actor: z.nullable(actorSchema) });
export const SessionEventSchema = z.intersection(eventEnvelope, eventBodySchema);
/** Everything that happens in a session, in the order the session's Durable Object numbered it. */
export type SessionEvent = z.infer<typeof SessionEventSchema>;

/** Reads an event body stored by the log; null if it is not one this code knows. */
export function parseEventBody(json: unknown): EventBody | null {
	const parsed = eventBodySchema.safeParse(json);
	return parsed.success ? parsed.data : null;
}

const participantSchema = z.object({
	id: z.string(),
	role: z.enum(ROLES),
	name: z.string(),
	/** Has a connection open right now. */
	online: z.boolean(),
	/** Joined and has not left. */
	present: z.boolean(),
	lastReadSeq: z.int().check(z.nonnegative()),
	/** Since when `online` is as it is; idle is online with `lastActiveAt` over IDLE_AFTER_MS ago (presence.ts). */
	since: z.optional(z.number()),
	lastActiveAt: z.optional(z.nullable(z.number())),
});
export type ParticipantView = z.infer<typeof participantSchema>;

export const CaseCardSchema = z.object({ caseId: z.string(), subject: z.string(), severity: z.enum(SEVERITIES) });
export type CaseCard = z.infer<typeof CaseCardSchema>;

/** Epoch milliseconds; null where the deadline does not apply (yet). */
const deadlinesSchema = z.object({
	keyExpiresAt: z.nullable(z.number()),
	chatEndsAt: z.nullable(z.number()),
	agentWaitEndsAt: z.nullable(z.number()),
});

const stateSchema = z.object({
	sessionId: z.string(),
	case: CaseCardSchema,
	status: z.enum(SESSION_STATUSES),
	participants: z.array(participantSchema),
	/** Highest sequence number in the log. */
	lastSeq: z.int().check(z.nonnegative()),
	deadlines: deadlinesSchema,
	endReason: z.nullable(z.enum(END_REASONS)),
	/** The agent a returning customer is routed back to. */
	previousAgent: z.nullable(z.string()),
	/** What agents see of what was written before they joined (RECORDING_MODES). */
	recording: z.optional(z.enum(RECORDING_MODES)),
});
export type SessionState = z.infer<typeof stateSchema>;

// ---- client → server -------------------------------------------------------------------------

export const CLIENT = {
	message: "message",
	typing: "typing",
	read: "read",
	leave: "leave",
	end: "end",
	resolve: "resolve",
	ping: "ping",
	edit: "edit",
	delete: "delete",
} as const;

const clientId = z.string().check(z.minLength(1), z.maxLength(LIMITS.maxClientIdChars), z.regex(/^[A-Za-z0-9_.:-]+$/, "letters, digits and _.:- only"));
const messageText = z.string().check(...textChecks("paragraph"), z.trim(), z.minLength(1, "empty message"), z.maxLength(LIMITS.maxMessageChars));

export const ClientFrameSchema = z.discriminatedUnion("type", [
	z.object({ type: z.literal(CLIENT.message), clientId, text: messageText }),
	z.object({ type: z.literal(CLIENT.typing) }),
	z.object({ type: z.literal(CLIENT.read), seq: z.int().check(z.nonnegative()) }),
	z.object({ type: z.literal(CLIENT.leave) }),
	z.object({ type: z.literal(CLIENT.end) }),
	z.object({ type: z.literal(CLIENT.resolve) }),
	z.object({ type: z.literal(CLIENT.ping) }),
	z.object({ type: z.literal(CLIENT.edit), of: z.int().check(z.positive()), text: messageText }),
	z.object({ type: z.literal(CLIENT.delete), of: z.int().check(z.positive()) }),
]);
export type ClientFrame = z.infer<typeof ClientFrameSchema>;

export type FrameProblem = { code: "not_json" | "bad_frame"; message: string };

/**
 * Whether a text frame is over the limit. The session closes such a socket (1009) rather than
 * answer it: a client that sends one is broken or hostile, and parsing it would cost the object.
 */
export function isFrameTooLarge(text: string): boolean {
	// Cheap bound first: a UTF-8 string is at most 3 bytes per UTF-16 unit.
	if (text.length * 3 <= LIMITS.maxFrameBytes) return false;
	return text.length > LIMITS.maxFrameBytes || new TextEncoder().encode(text).byteLength > LIMITS.maxFrameBytes;
}

/** Parses one text frame from a client; a problem instead of a frame for anything it should not accept. */
export function parseClientFrame(text: string): ClientFrame | FrameProblem {
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		return { code: "not_json", message: "frames must be JSON objects" };
	}
	const parsed = ClientFrameSchema.safeParse(json);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		const where = issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
		return { code: "bad_frame", message: `${where}${issue?.message ?? "invalid frame"}` };
	}
	return parsed.data;
}

export function isFrameProblem(value: ClientFrame | FrameProblem): value is FrameProblem {
	return "code" in value;
}

// ---- server → client -------------------------------------------------------------------------

export const SERVER = {
	/** The join socket's first frame (GET /api/join/ws): the answer POST /api/join would have given, as its status and body. */
	join: "join",
	state: "state",
	events: "events",
	ack: "ack",
	typing: "typing",
	presence: "presence",
	/** One person connected or disconnected: their entry of `presence`, where nothing else moved. */
	participant: "participant",
	read: "read",
	error: "error",
	pong: "pong",
} as const;

export const ERROR_CODES = ["not_text", "not_json", "bad_frame", "forbidden", "session_ended", "rate_limited", "session_full", "conflict"] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

const ServerFrameSchema = z.discriminatedUnion("type", [
	// Not the chat's own: a refusal is the only frame, and the socket closes after it.
	z.object({ type: z.literal(SERVER.join), status: z.int(), answer: z.unknown(), retryAfterSeconds: z.nullable(z.number()) }),
	z.object({ type: z.literal(SERVER.state), state: stateSchema, you: actorSchema }),
	z.object({ type: z.literal(SERVER.events), events: z.array(SessionEventSchema) }),
	z.object({ type: z.literal(SERVER.ack), clientId: z.string(), seq: z.int().check(z.positive()), duplicate: z.boolean() }),
	z.object({ type: z.literal(SERVER.typing), actor: actorSchema }),
	z.object({ type: z.literal(SERVER.presence), participants: z.array(participantSchema), status: z.enum(SESSION_STATUSES), deadlines: deadlinesSchema }),
	z.object({ type: z.literal(SERVER.participant), participant: participantSchema }),
	z.object({ type: z.literal(SERVER.read), participantId: z.string(), seq: z.int().check(z.nonnegative()) }),
	z.object({ type: z.literal(SERVER.error), code: z.enum(ERROR_CODES), message: z.string(), clientId: z.optional(z.string()) }),
	z.object({ type: z.literal(SERVER.pong) }),
]);
export type ServerFrame = z.infer<typeof ServerFrameSchema>;

/** Parses a frame from the server; null for anything unknown, so an older client ignores newer frames. */
export function parseServerFrame(raw: string): ServerFrame | null {
	return parseJsonAs(ServerFrameSchema, raw);
}
