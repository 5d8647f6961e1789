/**
 * A session's storage, one table a part (record, event log, roster, devices, outbox), and the one
 * step that writes a decision into all of them: a single SQLite transaction, so that a change and
 * the effects it must cause are never apart. If the step throws, SQLite rolls it back and the parts
 * that keep memory of their rows read them again.
 */
import type { Actor } from "../shared/protocol";
import type { Decision, EffectIntent, SessionView } from "./decision";
import { Devices } from "./devices";
import { coalesceKey, effectOf } from "./effects";
import type { Appended } from "./event-log";
import { EventLog } from "./event-log";
import type { OutboxEntry } from "./outbox";
import { Outbox } from "./outbox";
import { Roster } from "./roster";
import { Links } from "./links";
import { People } from "./people";
import { Revisions } from "./revisions";
import type { SessionRecord } from "./session-record";
import { RecordStore } from "./session-record";

export interface Ack {
	clientId: string;
	seq: number;
	duplicate: boolean;
}

/** What writing a decision produced: the events to fan out, the sender's acknowledgement (a frame of its own only for a resend, fan-out.ts), the devices revoked, the effects to try. */
export interface Written {
	appended: Appended[];
	/** The outbox rows for the decision's effects, written leased for a try that starts now. */
	effects: OutboxEntry[];
	ack: Ack | null;
	revokedDevices: string[];
	/** Devices that came in by a link revoked now (or with someone removed). */
	revokedLinkDevices: string[];
}

export class SessionStore {
	readonly records: RecordStore;
	readonly log: EventLog;
	readonly roster: Roster;
	readonly devices: Devices;
	readonly outbox: Outbox;
	readonly links: Links;
	readonly people: People;
	readonly revisions: Revisions;

	constructor(private readonly storage: DurableObjectStorage) {
		const sql = storage.sql;
		this.records = new RecordStore(sql);
		this.log = new EventLog(sql);
		this.roster = new Roster(sql);
		this.devices = new Devices(sql);
		this.outbox = new Outbox(sql);
		this.links = new Links(sql);
		this.people = new People(sql, (id) => this.log.lastWrittenAt(id));
		this.revisions = new Revisions(sql);
	}

	view(record: SessionRecord): SessionView {
		return { record, members: this.roster.facts(), lastSeq: this.log.lastSeq, removed: this.people.removed() };
	}

	/**
	 * Writes the decision `before` led to; `ack` is the acknowledgement decided without storage (a
	 * known resend). `also` writes, in the same step, what a decision that was not refused means
	 * beyond these parts (a file's new state, src/files/session-files.ts).
	 */
	write(decision: Decision, before: SessionRecord, now: number, ack: Ack | null, also?: () => void): Written {
		const written: Written = { appended: [], effects: [], ack, revokedDevices: [], revokedLinkDevices: [] };
		// Most ticks (an upgrade, a describe, a file call) change nothing: no transaction for them.
		if (writesOnly(decision, before, null) && (!also || decision.error !== null || decision.refusal !== null)) return written;
		// A lone chat message, the usual frame, is one INSERT, atomic by itself: the savepoint and its
		// release around it would make it three statements (W1), and there is nothing to roll back.
		const lone = decision.events[0];
		if (!also && decision.events.length === 1 && lone?.body.type === "message" && lone.actor && writesOnly(decision, before, "events")) {
			this.appendEvent(lone.body, lone.actor, now, written, lone.withheld === true);
			return written;
		}
		this.step(() => {
			for (const member of decision.enter) this.roster.enter(member, now);
			for (const id of decision.leave) this.roster.leave(id);
			for (const grant of decision.devices) this.devices.add(grant, now);
			for (const id of decision.revokeDevicesOf) this.devices.revokeAll(id, now);
			if (decision.revokeLinksBefore !== null) written.revokedDevices = this.devices.revokeLinkedBefore(decision.revokeLinksBefore, now);
			if (decision.read) this.roster.markRead(decision.read.participantId, decision.read.seq);
			if (decision.members) written.revokedLinkDevices = this.writeMembers(decision.members, now);
			for (const { body, actor, withheld } of decision.events) this.appendEvent(body, actor, now, written, withheld === true);
			if (decision.record !== before) this.records.save(decision.record);
			written.effects = this.putEffects(decision.effects, decision.record, now, true);
			if (also && decision.error === null && decision.refusal === null) also();
		});
		return written;
	}

	/** Puts effects in the outbox without any other change (work a record from before the outbox had pending), and saves the record. */
	adopt(intents: Iterable<EffectIntent>, record: SessionRecord, now: number): void {
		this.step(() => {
			this.putEffects(intents, record, now, false);
			this.records.save(record);
		});
	}

	/** Links made, revoked (with the devices that came in by them) and people removed; returns those devices. */
	private writeMembers(changes: NonNullable<Decision["members"]>, now: number): string[] {
		for (const link of changes.links) this.links.add(link);
		for (const { deviceId, linkId } of changes.linkDevices) this.links.cameBy(deviceId, linkId);
		for (const { id, by } of changes.removed) this.people.remove(id, by, now);
		const revoked = this.links.revoke(changes.revokeLinks, changes.revokeLinksOf, now);
		this.devices.revoke(revoked, now);
		return revoked;
	}

	private appendEvent(body: Decision["events"][number]["body"], actor: Actor | null, now: number, written: Written, withheld: boolean): void {
		if (body.type !== "message" || !actor) {
			const appended = this.log.append(body, actor, now, withheld);
			this.revisions.recorded(appended.event);
			written.appended.push(appended);
			return;
		}
		const stored = this.log.appendMessage(actor, body.clientId, body.text, now, body.unattended ? (withheld ? "strict" : "show") : null);
		if ("repeatOf" in stored) {
			written.ack = { clientId: body.clientId, seq: stored.repeatOf, duplicate: true };
			return;
		}
		written.appended.push(stored);
		written.ack = { clientId: body.clientId, seq: stored.event.seq, duplicate: false };
	}

	private putEffects(intents: Iterable<EffectIntent>, record: SessionRecord, now: number, tryingNow: boolean): OutboxEntry[] {
		return [...intents].map((intent) => {
			const effect = effectOf(intent, { record, presence: this.roster.presence(), version: this.log.lastSeq, now });
			return this.outbox.put(JSON.stringify(effect), now, coalesceKey(effect), tryingNow);
		});
	}

	private step(write: () => void): void {
		try {
			this.storage.transactionSync(write);
		} catch (error) {
			// SQLite rolled the step back; what the log, the roster, the people and the outbox keep in memory of it must go too.
			this.log.reload();
			this.roster.reload();
			this.people.reload();
			this.outbox.reload();
			throw error;
		}
	}
}

/**
 * Which parts of a decision the store writes (true) and which are the sockets' business or an
 * answer to the caller (false). Typed by `Decision`, so a part added there must be placed here.
 */
const WRITES: Record<keyof Decision, boolean> = {
	record: true,
	enter: true,
	leave: true,
	devices: true,
	revokeDevicesOf: true,
	revokeLinksBefore: true,
	read: true,
	events: true,
	effects: true,
	members: true,
	close: false,
	signals: false,
	refusal: false,
	error: false,
	repeatOf: false,
	statusChanged: false,
};
const isPart = (name: string): name is keyof Decision => name in WRITES;
const WRITTEN_PARTS = Object.keys(WRITES).filter(isPart).filter((part) => WRITES[part] && part !== "record");

/** Whether applying the decision would write nothing but `except` (nothing at all for null). */
function writesOnly(decision: Decision, before: SessionRecord, except: keyof Decision | null): boolean {
	if (decision.record !== before) return false;
	for (const part of WRITTEN_PARTS) {
		if (part === except) continue;
		const value: unknown = decision[part];
		// Absent (`members`, which most decisions leave out) is as empty as null.
		if (value === null || value === undefined) continue;
		if (Array.isArray(value) ? value.length > 0 : value instanceof Set ? value.size > 0 : true) return false;
	}
	return true;
}
