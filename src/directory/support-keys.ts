/** Support keys: nine digits that lead to a session while it waits for its end-user. */
import type { Shard } from "./shards";
import { randomDigitsIn } from "./shards";

/** Expired keys are remembered this long, so that a late visitor hears "expired", not "unknown". */
const EXPIRED_KEY_MEMORY_MS = 7 * 24 * 3600 * 1000;

export class SupportKeys {
	constructor(private readonly sql: SqlStorage) {
		sql.exec("CREATE TABLE IF NOT EXISTS support_keys (key TEXT PRIMARY KEY, session_id TEXT NOT NULL, expires_at INTEGER NOT NULL)");
	}

	/** Picks a key no live session uses, among those that lead to `shard` (this one), and ties it to the session until it expires. */
	reserve(sessionId: string, expiresAt: number, now: number, shard: Shard): string {
		this.sql.exec("DELETE FROM support_keys WHERE expires_at < ?", now - EXPIRED_KEY_MEMORY_MS);
		let key: string;
		do key = randomDigitsIn(9, shard);
		while (this.sql.exec("SELECT 1 FROM support_keys WHERE key = ?", key).toArray().length > 0);
		this.sql.exec("INSERT INTO support_keys (key, session_id, expires_at) VALUES (?, ?, ?)", key, sessionId, expiresAt);
		return key;
	}

	find(key: string): { sessionId: string; expiresAt: number } | null {
		const row = this.sql.exec<{ session_id: string; expires_at: number }>("SELECT session_id, expires_at FROM support_keys WHERE key = ?", key).toArray()[0];
		return row ? { sessionId: row.session_id, expiresAt: row.expires_at } : null;
	}
}
