/**
 * The console's sign-ins, one object per agent, so that a sign-in can be revoked: signing out
 * closes one, "sign out everywhere" all of the agent's. The cookie names a sign-in by a 128-bit id
 * and is signed too (agent-session.ts), so a forged or garbled cookie is refused in the Worker
 * without a call here. It also remembers which chats each sign-in joined, so that signing out
 * closes the agent's open chat sockets as well as their consoles.
 */
import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import { randomId128 } from "./random";
import { meterSql } from "../metering/sql-meter";

/** The header that hands the directory a console socket's sign-in, which it tags the socket with. */
export const SIGN_IN_HEADER = "X-Sign-In";

const IdRow = z.object({ id: z.string() });
const JoinedRow = z.object({ sign_in: z.string(), session_id: z.string() });

/** What closing sign-ins closed: their ids, and the chats they had joined. */
export interface ClosedSignIns {
	signIns: string[];
	chats: Array<{ signIn: string; sessionId: string }>;
}

export class AgentSignIns extends DurableObject {
	private readonly sql: SqlStorage;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		meterSql(ctx, env, "AgentSignIns");
		this.sql = ctx.storage.sql;
		this.sql.exec(`
			CREATE TABLE IF NOT EXISTS sign_ins (id TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
			CREATE TABLE IF NOT EXISTS joined (sign_in TEXT NOT NULL, session_id TEXT NOT NULL, PRIMARY KEY (sign_in, session_id));
		`);
	}

	/** A new sign-in, good until `expiresAt`; sign-ins that have run out are forgotten. */
	open(expiresAt: number, now: number): string {
		this.sql.exec("DELETE FROM joined WHERE sign_in IN (SELECT id FROM sign_ins WHERE expires_at <= ?)", now);
		this.sql.exec("DELETE FROM sign_ins WHERE expires_at <= ?", now);
		const id = randomId128();
		this.sql.exec("INSERT INTO sign_ins (id, expires_at) VALUES (?, ?)", id, expiresAt);
		return id;
	}

	isOpen(id: string, now: number): boolean {
		return this.sql.exec("SELECT 1 FROM sign_ins WHERE id = ? AND expires_at > ?", id, now).toArray().length > 0;
	}

	/** The sign-in joined a chat: its sockets there close with it. */
	joined(id: string, sessionId: string): void {
		this.sql.exec("INSERT INTO joined (sign_in, session_id) VALUES (?, ?) ON CONFLICT DO NOTHING", id, sessionId);
	}

	/** Closes one sign-in, or all of them; answers the ids that were still open and the chats they had joined. */
	close(id: string | null): ClosedSignIns {
		const rows = id === null ? this.sql.exec("DELETE FROM sign_ins RETURNING id") : this.sql.exec("DELETE FROM sign_ins WHERE id = ? RETURNING id", id);
		const signIns = rows.toArray().map((row) => IdRow.parse(row).id);
		const chats = signIns.flatMap((signIn) =>
			this.sql
				.exec("DELETE FROM joined WHERE sign_in = ? RETURNING sign_in, session_id", signIn)
				.toArray()
				.map((row) => {
					const parsed = JoinedRow.parse(row);
					return { signIn: parsed.sign_in, sessionId: parsed.session_id };
				}),
		);
		return { signIns, chats };
	}
}
