/**
 * A team router's tables: its agents (availability, capacity, idle since) and its live chats
 * (waiting, offered, with an agent, or waiting for the customer to come back). Bound parameters
 * only; each row is checked with a schema when read back.
 */
import { z } from "zod";
import { AVAILABILITIES } from "../shared/routing";
import type { Availability } from "../shared/routing";
import type { RoutedChatInit } from "./contract";

const CHAT_STATES = ["waiting", "assigned", "away"] as const;
export type ChatState = (typeof CHAT_STATES)[number];

const AgentRowSchema = z.object({ name: z.string(), availability: z.enum(AVAILABILITIES), capacity: z.number(), idle_since: z.number() });
export type AgentRow = z.infer<typeof AgentRowSchema>;

/** Made once: a schema built inside the transform was built anew for every row read (W5's profile, 2026-12-02). */
const TriedSchema = z.array(z.string());

const ChatRowSchema = z.object({
	session_id: z.string(),
	case_id: z.string(),
	queue: z.string(),
	customer_name: z.string(),
	subject: z.string(),
	waiting_since: z.number(),
	state: z.enum(CHAT_STATES),
	agent: z.string().nullable(),
	previous_agent: z.string().nullable(),
	offered_to: z.string().nullable(),
	offer_expires_at: z.number().nullable(),
	tried: z.string().transform((text): string[] => TriedSchema.parse(JSON.parse(text))),
	version: z.number(),
});
export type ChatRow = z.infer<typeof ChatRowSchema>;

/** How many past waits the estimate averages. */
const WAIT_SAMPLES = 20;

export class RouterStore {
	constructor(private readonly sql: SqlStorage) {
		sql.exec(`
			CREATE TABLE IF NOT EXISTS agents (name TEXT PRIMARY KEY, availability TEXT NOT NULL, capacity INTEGER NOT NULL, idle_since INTEGER NOT NULL);
			CREATE TABLE IF NOT EXISTS chats (
				session_id TEXT PRIMARY KEY, case_id TEXT NOT NULL, queue TEXT NOT NULL, customer_name TEXT NOT NULL, subject TEXT NOT NULL,
				waiting_since INTEGER NOT NULL, state TEXT NOT NULL, agent TEXT, previous_agent TEXT,
				offered_to TEXT, offer_expires_at INTEGER, tried TEXT NOT NULL DEFAULT '[]', version INTEGER NOT NULL DEFAULT 0);
			CREATE INDEX IF NOT EXISTS chats_waiting ON chats (state, waiting_since);
			CREATE TABLE IF NOT EXISTS waits (id INTEGER PRIMARY KEY AUTOINCREMENT, ms INTEGER NOT NULL);
		`);
	}

	agent(name: string): AgentRow | null {
		const row = this.sql.exec("SELECT * FROM agents WHERE name = ?", name).toArray()[0];
		return row ? AgentRowSchema.parse(row) : null;
	}

	agents(): AgentRow[] {
		return this.sql.exec("SELECT * FROM agents").toArray().map((row) => AgentRowSchema.parse(row));
	}

	saveAgent(row: AgentRow): void {
		this.sql.exec(
			"INSERT INTO agents (name, availability, capacity, idle_since) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET availability = excluded.availability, capacity = excluded.capacity, idle_since = excluded.idle_since",
			row.name,
			row.availability,
			row.capacity,
			row.idle_since,
		);
	}

	setAvailability(name: string, availability: Availability): void {
		this.sql.exec("UPDATE agents SET availability = ? WHERE name = ?", availability, name);
	}

	touchIdle(name: string, at: number): void {
		this.sql.exec("UPDATE agents SET idle_since = ? WHERE name = ?", at, name);
	}

	/** The agent's chats with them plus the offers waiting for them. */
	loadOf(name: string): number {
		const row = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM chats WHERE (state = 'assigned' AND agent = ?) OR offered_to = ?", name, name).one();
		return row.n;
	}

	chat(sessionId: string): ChatRow | null {
		const row = this.sql.exec("SELECT * FROM chats WHERE session_id = ?", sessionId).toArray()[0];
		return row ? ChatRowSchema.parse(row) : null;
	}

	/** Waiting chats, longest wait first. */
	waiting(): ChatRow[] {
		return this.sql.exec("SELECT * FROM chats WHERE state = 'waiting' ORDER BY waiting_since, session_id").toArray().map((row) => ChatRowSchema.parse(row));
	}

	/** Whether any waiting chat is offered to nobody: one indexed look, before the agents are read. */
	hasUnoffered(): boolean {
		return this.sql.exec("SELECT 1 FROM chats WHERE state = 'waiting' AND offered_to IS NULL LIMIT 1").toArray().length > 0;
	}

	offersTo(name: string): ChatRow[] {
		return this.sql.exec("SELECT * FROM chats WHERE offered_to = ? ORDER BY waiting_since", name).toArray().map((row) => ChatRowSchema.parse(row));
	}

	/** Offers whose time is up by `now`. */
	expiredOffers(now: number): ChatRow[] {
		return this.sql.exec("SELECT * FROM chats WHERE offered_to IS NOT NULL AND offer_expires_at <= ?", now).toArray().map((row) => ChatRowSchema.parse(row));
	}

	nextOfferExpiry(): number | null {
		return this.sql.exec<{ at: number | null }>("SELECT MIN(offer_expires_at) AS at FROM chats WHERE offered_to IS NOT NULL").one().at;
	}

	addChat(chat: RoutedChatInit): void {
		this.sql.exec(
			"INSERT INTO chats (session_id, case_id, queue, customer_name, subject, waiting_since, state, previous_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (session_id) DO NOTHING",
			chat.sessionId,
			chat.caseId,
			chat.queue,
			chat.customerName,
			chat.subject,
			chat.at,
			chat.heldBy === undefined ? "waiting" : "away",
			chat.heldBy ?? null,
		);
	}

	offer(sessionId: string, agent: string, expiresAt: number): void {
		this.sql.exec("UPDATE chats SET offered_to = ?, offer_expires_at = ? WHERE session_id = ?", agent, expiresAt, sessionId);
	}

	/** Takes the offer back; `tried` remembers the agent, so the chat goes to the next one. */
	withdraw(sessionId: string, triedAgent: string | null): void {
		const chat = this.chat(sessionId);
		if (!chat) return;
		const tried = triedAgent === null || chat.tried.includes(triedAgent) ? chat.tried : [...chat.tried, triedAgent];
		this.sql.exec("UPDATE chats SET offered_to = NULL, offer_expires_at = NULL, tried = ? WHERE session_id = ?", JSON.stringify(tried), sessionId);
	}

	assign(sessionId: string, agent: string): void {
		this.sql.exec("UPDATE chats SET state = 'assigned', agent = ?, offered_to = NULL, offer_expires_at = NULL WHERE session_id = ?", agent, sessionId);
	}

	/** Back in the queue (the customer came back): offers start afresh, the last agent first. */
	requeue(sessionId: string, previousAgent: string | null, at: number): void {
		this.sql.exec("UPDATE chats SET state = 'waiting', agent = NULL, previous_agent = ?, waiting_since = ?, tried = '[]' WHERE session_id = ?", previousAgent, at, sessionId);
	}

	/** The agent left; the session waits for the customer to come back. */
	away(sessionId: string): void {
		this.sql.exec("UPDATE chats SET state = 'away', agent = NULL, offered_to = NULL, offer_expires_at = NULL WHERE session_id = ?", sessionId);
	}

	setVersion(sessionId: string, version: number): void {
		this.sql.exec("UPDATE chats SET version = ? WHERE session_id = ?", version, sessionId);
	}

	remove(sessionId: string): void {
		this.sql.exec("DELETE FROM chats WHERE session_id = ?", sessionId);
	}

	recordWait(ms: number): void {
		this.sql.exec("INSERT INTO waits (ms) VALUES (?)", Math.max(0, ms));
		this.sql.exec("DELETE FROM waits WHERE id <= (SELECT MAX(id) FROM waits) - ?", WAIT_SAMPLES);
	}

	averageWaitMs(): number | null {
		return this.sql.exec<{ avg: number | null }>("SELECT AVG(ms) AS avg FROM waits").one().avg;
	}
}
