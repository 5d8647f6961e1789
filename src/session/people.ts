/**
 * What a session knows of each person beyond the roster: whether they were removed (and by whom),
 * since when they are connected or gone, and when they last did something (a message, a keystroke,
 * a read). Removals are written by the step that decides them; presence is socket bookkeeping:
 * since when someone is connected is in their sockets' tags (online.ts), since when they are gone
 * is written as their last socket closes, and activity is held in memory and written with it.
 * After the object wakes, what memory held is gone: a person's last message in the log stands in,
 * read once per person, so that someone still writing is not shown idle after a hibernation.
 */
import { z } from "zod";

const RowSchema = z.object({ id: z.string(), since: z.number().nullable(), last_active_at: z.number().nullable(), removed_at: z.number().nullable() });

export interface PersonFacts {
	since: number | null;
	lastActiveAt: number | null;
	removedAt: number | null;
}

export class People {
	private readonly rows = new Map<string, PersonFacts>();
	/** Asked by every command (commands.ts), so kept rather than gathered each time. */
	private removedIds = new Set<string>();
	/** The people whose last message has been read back from the log since the object woke. */
	private readonly recovered = new Set<string>();

	constructor(
		private readonly sql: SqlStorage,
		private readonly lastWrittenAt: (id: string) => number | null,
	) {
		sql.exec(`CREATE TABLE IF NOT EXISTS people (
			id TEXT PRIMARY KEY, since INTEGER, last_active_at INTEGER, removed_at INTEGER, removed_by TEXT)`);
		this.reload();
	}

	reload(): void {
		this.rows.clear();
		this.recovered.clear();
		for (const raw of this.sql.exec("SELECT id, since, last_active_at, removed_at FROM people").toArray()) {
			const row = RowSchema.parse(raw);
			this.rows.set(row.id, { since: row.since, lastActiveAt: row.last_active_at, removedAt: row.removed_at });
		}
		this.removedIds = new Set([...this.rows].flatMap(([id, facts]) => (facts.removedAt === null ? [] : [id])));
	}

	get(id: string): PersonFacts {
		const facts = this.rows.get(id) ?? { since: null, lastActiveAt: null, removedAt: null };
		if (this.recovered.has(id)) return facts;
		this.recovered.add(id);
		const wrote = this.lastWrittenAt(id);
		if (wrote === null || (facts.lastActiveAt ?? 0) >= wrote) return facts;
		const recovered = { ...facts, lastActiveAt: wrote };
		this.rows.set(id, recovered);
		return recovered;
	}

	/** The participants who were removed: none of their links or tokens gets them back in. */
	removed(): ReadonlySet<string> {
		return this.removedIds;
	}

	remove(id: string, by: string | null, at: number): void {
		this.rows.set(id, { ...this.get(id), removedAt: at });
		// A new set, so that a view a command was decided on keeps what it saw.
		this.removedIds = new Set([...this.removedIds, id]);
		this.sql.exec(
			"INSERT INTO people (id, removed_at, removed_by) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET removed_at = excluded.removed_at, removed_by = excluded.removed_by",
			id,
			at,
			by,
		);
	}

	/** Someone's last socket went: they are gone from now. (An arrival is written nowhere but in its socket's tag, online.ts.) */
	departed(id: string, at: number): void {
		const facts = { ...this.get(id), since: at };
		this.rows.set(id, facts);
		this.sql.exec(
			"INSERT INTO people (id, since, last_active_at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET since = excluded.since, last_active_at = excluded.last_active_at",
			id,
			at,
			facts.lastActiveAt,
		);
	}

	/** They did something; kept in memory (a message already costs a write), saved with the next change. */
	active(id: string, at: number): void {
		this.rows.set(id, { ...this.get(id), lastActiveAt: at });
	}
}
