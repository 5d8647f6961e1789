/**
 * The console's sign-ins, one object per agent, so that a sign-in can be revoked: signing out
 * closes one, "sign out everywhere" all of the agent's. The cookie names a sign-in by a 128-bit id
 * and is signed too (agent-session.ts), so a forged or garbled cookie is refused in the Worker
 * without a call here.
 */
import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import { randomId128 } from "./random";

/** The header that hands the directory a console socket's sign-in, which it tags the socket with. */
export const SIGN_IN_HEADER = "X-Sign-In";

const IdRow = z.object({ id: z.string() });

export class AgentSignIns extends DurableObject {
	private readonly sql: SqlStorage;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		this.sql = ctx.storage.sql;
		this.sql.exec("CREATE TABLE IF NOT EXISTS sign_ins (id TEXT PRIMARY KEY, expires_at INTEGER NOT NULL)");
	}

	/** A new sign-in, good until `expiresAt`; sign-ins that have run out are forgotten. */
	open(expiresAt: number, now: number): string {
		this.sql.exec("DELETE FROM sign_ins WHERE expires_at <= ?", now);
		const id = randomId128();
		this.sql.exec("INSERT INTO sign_ins (id, expires_at) VALUES (?, ?)", id, expiresAt);
		return id;
	}

	isOpen(id: string, now: number): boolean {
		return this.sql.exec("SELECT 1 FROM sign_ins WHERE id = ? AND expires_at > ?", id, now).toArray().length > 0;
	}

	/** Closes one sign-in, or all of them; answers the ids that were still open. */
	close(id: string | null): string[] {
		const rows = id === null ? this.sql.exec("DELETE FROM sign_ins RETURNING id") : this.sql.exec("DELETE FROM sign_ins WHERE id = ? RETURNING id", id);
		return rows.toArray().map((row) => IdRow.parse(row).id);
	}
}
