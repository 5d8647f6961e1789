/**
 * The calls the Worker makes about a session's members and links (routes/members.ts): each turns
 * into a command for `decide` (member-commands.ts), except the list of devices and people, which
 * only reads. Whoever asks comes as the file routes verify them: a participant with the device
 * their token names, which must still be let in, or an agent signed in as such.
 */
import type { LinkView, MakeLink, People, PersonView } from "../shared/api";
import { randomId128 } from "../security/random";
import type { Actor } from "../shared/protocol";
import type { FileCaller, FileRefusal } from "../files/contract";
import { REFUSALS } from "../shared/refusals";
import type { Command, Decision } from "./decision";
import type { Admission } from "./contract";
import type { Link } from "./links";
import { LINK_TTL_MS, hashSecret } from "./links";
import { isTerminal } from "./lifecycle";
import { presenceSince } from "./online";
import { mayRemove, mayRevoke, permit } from "./policy";
import type { SessionRecord } from "./session-record";
import type { SessionStore } from "./session-store";

export interface MemberPorts {
	store: SessionStore;
	record: () => SessionRecord | null;
	now: () => number;
	execute: (actor: Actor | null, command: Command) => Decision;
	/** Whether a socket that came in on this device is open. */
	deviceOnline: (deviceId: string) => boolean;
	/** Each connected person's earliest live socket's connect time (online.ts). */
	onlineSince: () => Map<string, number | null>;
}

const NOT_IN: FileRefusal = { refused: 403, error: "you are not in this chat: join again with your invite link" };
/** What someone removed from the chat gets, whatever they ask of it. */
export const REMOVED: FileRefusal = { refused: 403, error: REFUSALS.removed.error };

export class MemberDoor {
	constructor(private readonly ports: MemberPorts) {}

	/** A link someone opened, if it is one of this session's (not its customer's invite link); null if unknown. */
	async findLink(secret: string): Promise<Link | null> {
		return this.ports.store.links.bySecretHash(await hashSecret(secret));
	}

	admitByLink(link: Link, secret: string, deviceId: string): Admission {
		const decision = this.ports.execute(null, { type: "admit_by_link", deviceId, found: { link, expired: this.ports.now() >= link.expiresAt } });
		if (decision.refusal) return { ok: false, reason: decision.refusal };
		const { record } = decision;
		// The link they came by is their way back, on this device or another: not the customer's invite link.
		return { ok: true, actor: { id: link.participantId, role: link.role, name: link.name }, deviceId, sessionId: record.sessionId, caseId: record.caseId, inviteSecret: secret };
	}

	/** The Worker made `secret` and builds the link's address from it; the session keeps its hash. */
	async makeLink(caller: FileCaller, request: MakeLink, secret: string): Promise<{ link: LinkView } | FileRefusal> {
		const actor = this.caller(caller);
		if ("refused" in actor) return actor;
		const record = this.ports.record();
		if (!record) return { refused: 404, error: "no such session" };
		const now = this.ports.now();
		const id = randomId128();
		const expiresAt = Math.min(now + LINK_TTL_MS[request.kind], record.chatEndsAt ?? Number.POSITIVE_INFINITY);
		const invited = request.kind === "invite" ? { participantId: `${request.role}:${randomId128()}`, role: request.role, name: request.name } : { participantId: actor.id, role: actor.role, name: actor.name };
		const link = { id, kind: request.kind, ...invited, madeBy: actor.id, createdAt: now, expiresAt, secretHash: await hashSecret(secret) };
		const decision = this.ports.execute(actor, { type: "make_link", link, made: this.ports.store.links.count() });
		if (decision.error) return refusalOf(decision.error);
		return { link: this.view({ ...link, revokedAt: null }, actor) };
	}

	revokeLink(caller: FileCaller, linkId: string): LinkView | FileRefusal {
		const actor = this.caller(caller);
		if ("refused" in actor) return actor;
		const decision = this.ports.execute(actor, { type: "revoke_link", linkId, link: this.ports.store.links.get(linkId) });
		if (decision.error) return refusalOf(decision.error);
		const link = this.ports.store.links.get(linkId);
		return link ? this.view(link, actor) : { refused: 404, error: "no such link" };
	}

	remove(caller: FileCaller, participantId: string): FileRefusal | null {
		const actor = this.caller(caller);
		if ("refused" in actor) return actor;
		const decision = this.ports.execute(actor, { type: "remove", target: this.person(participantId) });
		return decision.error ? refusalOf(decision.error) : null;
	}

	/** "Devices and people in this chat", as the asker may act on them. */
	people(caller: FileCaller): People | FileRefusal {
		const actor = this.caller(caller);
		if ("refused" in actor) return actor;
		const record = this.ports.record();
		if (!record) return { refused: 404, error: "no such session" };
		const verdict = permit(actor.role, "people", { present: this.ports.store.roster.get(actor.id)?.present === true, finished: isTerminal(record) });
		if (!verdict.ok) return { refused: 403, error: verdict.message };
		const { store } = this.ports;
		const devices = store.devices.liveByParticipant();
		const removed = store.people.removed();
		const online = this.ports.onlineSince();
		const people: PersonView[] = store.roster.all().map((member) => {
			const facts = store.people.get(member.id);
			return {
				id: member.id,
				role: member.role,
				name: member.name,
				present: member.present,
				online: online.has(member.id),
				since: presenceSince(facts.since, online.get(member.id)),
				lastActiveAt: facts.lastActiveAt,
				removed: removed.has(member.id),
				removable: !removed.has(member.id) && member.id !== actor.id && mayRemove(actor.role, member.role),
				devices: (devices.get(member.id) ?? []).map((d) => ({ deviceId: d.id, via: d.via, since: d.createdAt, linkId: store.links.linkOfDevice(d.id), online: this.ports.deviceOnline(d.id) })),
			};
		});
		return { people, links: store.links.all().map((link) => this.view(link, actor)) };
	}

	/** The caller as the chat knows them, if the device their token names is still let in. */
	private caller(caller: FileCaller): Actor | FileRefusal {
		const { deviceId, ...actor } = caller;
		if (!this.ports.record()) return { refused: 404, error: "no such session" };
		// An agent comes without a device (the console's sign-in): their removal is what keeps them out.
		if (this.ports.store.people.removed().has(actor.id)) return REMOVED;
		if (deviceId !== null && !this.ports.store.devices.live(deviceId, actor.id)) return NOT_IN;
		this.ports.execute(null, { type: "tick" });
		return actor;
	}

	/** Someone to remove: in the roster, or invited and never come in (known by their link). */
	private person(id: string): Actor | null {
		const member = this.ports.store.roster.get(id);
		if (member) return { id: member.id, role: member.role, name: member.name };
		const link = this.ports.store.links.all().find((l) => l.participantId === id && l.kind === "invite");
		return link ? { id: link.participantId, role: link.role, name: link.name } : null;
	}

	private view(link: Link, asker: Actor): LinkView {
		const state = link.revokedAt !== null ? "revoked" : this.ports.now() >= link.expiresAt ? "expired" : "live";
		return {
			linkId: link.id,
			kind: link.kind,
			participantId: link.participantId,
			role: link.role,
			name: link.name,
			madeBy: link.madeBy,
			createdAt: link.createdAt,
			expiresAt: link.expiresAt,
			state,
			revocable: state === "live" && mayRevoke(asker.role, link.madeBy === asker.id),
		};
	}
}

function refusalOf(error: NonNullable<Decision["error"]>): FileRefusal {
	if (error.code === "forbidden") return { refused: 403, error: error.message };
	if (error.code === "bad_frame") return { refused: 404, error: error.message };
	return { refused: 409, error: error.message };
}
