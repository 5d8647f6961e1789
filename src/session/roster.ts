/** Who has been admitted to a session, whether they are still in it, and how far they have read. */
import { z } from "zod";
import type { Actor } from "../shared/protocol";
import { ROLES } from "../shared/protocol";
import type { MemberFacts } from "./contract";
import { CUSTOMER_ID } from "./contract";
import { isAgentSide } from "./policy";
import type { Presence } from "./lifecycle";

const RowSchema = z.object({
	id: z.string(),
	role: z.enum(ROLES),
	name: z.string(),
	joined_at: z.number(),
	present: z.number(),
	last_read_seq: z.number(),
});

export interface Member extends Actor {
	joinedAt: number;
	present: boolean;
	lastReadSeq: number;
}

export class Roster {
	private readonly members = new Map<string, Member>();

	constructor(private readonly sql: SqlStorage) {
		sql.exec(`CREATE TABLE IF NOT EXISTS participants (
			id TEXT PRIMARY KEY, role TEXT NOT NULL, name TEXT NOT NULL, joined_at INTEGER NOT NULL,
			present INTEGER NOT NULL, last_read_seq INTEGER NOT NULL)`);
		this.reload();
	}

	/** Reads the members back from storage (at start, and after a step that wrote to them was rolled back). */
	reload(): void {
		this.members.clear();
		for (const raw of this.sql.exec("SELECT * FROM participants").toArray()) {
			const row = RowSchema.parse(raw);
			this.members.set(row.id, {
				id: row.id,
				role: row.role,
				name: row.name,
				joinedAt: row.joined_at,
				present: row.present === 1,
				lastReadSeq: row.last_read_seq,
			});
		}
	}

	get(id: string): Member | undefined {
		return this.members.get(id);
	}

	all(): Member[] {
		return [...this.members.values()];
	}

	/** Who is in the chat, as far as its status cares. */
	presence(): Presence {
		return { agentPresent: this.all().some((m) => isAgentSide(m.role) && m.present), customerPresent: this.members.get(CUSTOMER_ID)?.present === true };
	}

	/** Each member's facts as commands are decided on them. */
	facts(): ReadonlyMap<string, MemberFacts> {
		// The members themselves, read-only: a command is decided before anything changes them, and a message need not copy them.
		return this.members;
	}

	/** Marks the actor present; true if that is news (first join, or back after leaving). */
	enter(actor: Actor, at: number): boolean {
		const known = this.members.get(actor.id);
		if (known?.present) return false;
		const member: Member = { ...actor, joinedAt: known?.joinedAt ?? at, present: true, lastReadSeq: known?.lastReadSeq ?? 0 };
		this.members.set(actor.id, member);
		this.sql.exec(
			"INSERT INTO participants (id, role, name, joined_at, present, last_read_seq) VALUES (?, ?, ?, ?, 1, ?) ON CONFLICT (id) DO UPDATE SET present = 1, name = excluded.name",
			member.id,
			member.role,
			member.name,
			member.joinedAt,
			member.lastReadSeq,
		);
		return true;
	}

	/** Marks the member gone; true if they were present. */
	leave(id: string): boolean {
		const member = this.members.get(id);
		if (!member?.present) return false;
		member.present = false;
		this.sql.exec("UPDATE participants SET present = 0 WHERE id = ?", id);
		return true;
	}

	/** Moves the member's read position forward; true if it moved. */
	markRead(id: string, seq: number): boolean {
		const member = this.members.get(id);
		if (!member || seq <= member.lastReadSeq) return false;
		member.lastReadSeq = seq;
		this.sql.exec("UPDATE participants SET last_read_seq = ? WHERE id = ?", seq, id);
		return true;
	}
}
