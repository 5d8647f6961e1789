/**
 * The links a session handed out besides its customer's invite link: an invite for a colleague
 * or a specialist (their own participant, named by whoever invited them), and a link to continue
 * on another device. Each expires, and each can be revoked; the devices that came in by a link are
 * remembered with it, so that revoking it closes exactly those. A link's secret is kept only as
 * its SHA-256: the link itself is shown once, to whoever made it.
 */
import { z } from "zod";
import { ROLES } from "../shared/protocol";

export const LINK_KINDS = ["invite", "device"] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

/** An invite is good for a day (within the chat's 25 hours); a link to another device for an hour. */
export const LINK_TTL_MS: Record<LinkKind, number> = { invite: 24 * 3600_000, device: 3600_000 };

const RowSchema = z.object({
	id: z.string(),
	kind: z.enum(LINK_KINDS),
	participant_id: z.string(),
	role: z.enum(ROLES),
	name: z.string(),
	made_by: z.string(),
	created_at: z.number(),
	expires_at: z.number(),
	revoked_at: z.number().nullable(),
});

export interface Link {
	id: string;
	kind: LinkKind;
	/** Who comes in by it: a new member for an invite, the maker themselves for a device link. */
	participantId: string;
	role: (typeof ROLES)[number];
	name: string;
	/** The participant who made it. */
	madeBy: string;
	createdAt: number;
	expiresAt: number;
	revokedAt: number | null;
}

export type NewLink = Omit<Link, "revokedAt"> & { secretHash: string };

export async function hashSecret(secret: string): Promise<string> {
	const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`link:${secret}`));
	return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

function linkOf(raw: unknown): Link {
	const row = RowSchema.parse(raw);
	return { id: row.id, kind: row.kind, participantId: row.participant_id, role: row.role, name: row.name, madeBy: row.made_by, createdAt: row.created_at, expiresAt: row.expires_at, revokedAt: row.revoked_at };
}

const COLUMNS = "id, kind, participant_id, role, name, made_by, created_at, expires_at, revoked_at";

export class Links {
	constructor(private readonly sql: SqlStorage) {
		sql.exec(`
			CREATE TABLE IF NOT EXISTS links (
				id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, participant_id TEXT NOT NULL, role TEXT NOT NULL,
				name TEXT NOT NULL, made_by TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, revoked_at INTEGER);
			CREATE TABLE IF NOT EXISTS link_devices (device_id TEXT PRIMARY KEY, link_id TEXT NOT NULL);
			CREATE INDEX IF NOT EXISTS link_devices_by_link ON link_devices (link_id);
		`);
	}

	add(link: NewLink): void {
		this.sql.exec(
			"INSERT INTO links (id, secret_hash, kind, participant_id, role, name, made_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
			link.id,
			link.secretHash,
			link.kind,
			link.participantId,
			link.role,
			link.name,
			link.madeBy,
			link.createdAt,
			link.expiresAt,
		);
	}

	bySecretHash(hash: string): Link | null {
		const row = this.sql.exec(`SELECT ${COLUMNS} FROM links WHERE secret_hash = ?`, hash).toArray()[0];
		return row ? linkOf(row) : null;
	}

	get(id: string): Link | null {
		const row = this.sql.exec(`SELECT ${COLUMNS} FROM links WHERE id = ?`, id).toArray()[0];
		return row ? linkOf(row) : null;
	}

	count(): number {
		return this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM links").one().n;
	}

	/** Every link, newest first, revoked and expired ones included: the list says which. */
	all(): Link[] {
		return this.sql.exec(`SELECT ${COLUMNS} FROM links ORDER BY created_at DESC, id`).toArray().map(linkOf);
	}

	/** Revokes the links by id and every link of the participants given; returns the devices that came in by any of them. */
	revoke(ids: readonly string[], ofParticipants: readonly string[], at: number): string[] {
		const revoked: string[] = [];
		for (const id of ids) revoked.push(...this.sql.exec<{ id: string }>("UPDATE links SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL RETURNING id", at, id).toArray().map((r) => r.id));
		for (const pid of ofParticipants) revoked.push(...this.sql.exec<{ id: string }>("UPDATE links SET revoked_at = ? WHERE participant_id = ? AND revoked_at IS NULL RETURNING id", at, pid).toArray().map((r) => r.id));
		return revoked.flatMap((id) => this.sql.exec<{ device_id: string }>("SELECT device_id FROM link_devices WHERE link_id = ?", id).toArray().map((r) => r.device_id));
	}

	/** Remembers that a device came in by a link. */
	cameBy(deviceId: string, linkId: string): void {
		this.sql.exec("INSERT INTO link_devices (device_id, link_id) VALUES (?, ?) ON CONFLICT (device_id) DO NOTHING", deviceId, linkId);
	}

	/** The link a device came in by, if any. */
	linkOfDevice(deviceId: string): string | null {
		return this.sql.exec<{ link_id: string }>("SELECT link_id FROM link_devices WHERE device_id = ?", deviceId).toArray()[0]?.link_id ?? null;
	}
}
