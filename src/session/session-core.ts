/**
 * What every entry point of a session works through: the record as it stands, its tables, its
 * sockets, and `execute`, the one way anything changes. `execute` decides a command (commands.ts),
 * writes the decision and the outbox rows for its effects in one SQLite step, tells the sockets,
 * and starts the outbox's drain; the one alarm is armed for the earliest thing due.
 */
import type { Actor, SessionState } from "../shared/protocol";
import type { Connections } from "../sockets/connections";
import type { Clock } from "./clock";
import { decide } from "./commands";
import type { Admission, SessionInit } from "./contract";
import type { Command, Decision, EffectIntent } from "./decision";
import { noChanges } from "./decision";
import type { EffectPorts } from "./effects";
import { FanOut } from "./fan-out";
import { FrameCommands } from "./frame-commands";
import { anythingDue, isTerminal, pendingDeadlines, stateOf } from "./lifecycle";
import { OutboxDrain } from "./outbox-drain";
import type { SessionRecord } from "./session-record";
import { newRecord } from "./session-record";
import { SessionStore } from "./session-store";
import { buildTranscript } from "./transcript";

export interface CoreParts {
	ctx: DurableObjectState;
	sockets: Connections<Actor>;
	ports: EffectPorts;
	/** The session's clock as it is now: tests replace it on a live object. */
	clock(): Clock;
	/** Another time to wake for, besides the deadlines and the outbox (the files' abandoned uploads). */
	alsoDue(): number | null;
}

export class SessionCore {
	readonly store: SessionStore;
	readonly sockets: Connections<Actor>;
	readonly frames: FrameCommands;
	readonly fanOut: FanOut;
	readonly outboxDrain: OutboxDrain;
	/** Null until the Worker opens the session. Changed only here, by `open` and `execute`. */
	record: SessionRecord | null;
	/** The alarm as this instance last set it; undefined when unknown (after a wake, or once it fired). */
	private alarmAt: number | null | undefined;
	/** Retries a record written before the outbox kept itself (adoptLegacyRetries). */
	private readonly legacyRetries: EffectIntent[];

	constructor(private readonly parts: CoreParts) {
		const { ctx, sockets, ports } = parts;
		this.store = new SessionStore(ctx.storage);
		this.sockets = sockets;
		const loaded = this.store.records.load();
		this.record = loaded?.record ?? null;
		this.frames = new FrameCommands(this.store.log, this.store.revisions);
		this.fanOut = new FanOut(sockets, this.store.log, this.store.roster, this.store.people);
		this.outboxDrain = new OutboxDrain(this.store.outbox, ports, () => parts.clock(), () => this.transcript(), () => this.armAlarm());
		this.legacyRetries = loaded?.legacyRetries ?? [];
	}

	now(): number {
		return this.parts.clock()();
	}

	/** Creates the session; calling it again with the same session changes nothing. */
	async open(init: SessionInit): Promise<void> {
		if (this.record) return;
		this.record = newRecord(init);
		this.store.records.save(this.record);
		await this.armAlarm();
	}

	/**
	 * Decides a command and applies the decision: the record, the roster, the events and the outbox
	 * rows for its effects are written in one SQLite step, so a change and what it must cause are
	 * never apart. Then the sockets hear of it and the outbox is drained. `also` records, in the
	 * same step, what a decision that was not refused means beyond the log (a file's new state).
	 */
	execute(actor: Actor | null, command: Command, sender?: WebSocket, also?: () => void): Decision {
		const before = this.record;
		if (!before) throw new Error("a command for a session that does not exist");
		const now = this.now();
		const decision = decide(this.store.view(before), actor, command, now);
		const resend = decision.repeatOf !== null && command.type === "message" ? { clientId: command.clientId, seq: decision.repeatOf, duplicate: true } : null;
		const written = this.store.write(decision, before, now, resend, also);
		this.record = decision.record;
		// The outbox and the alarm first: nothing the sockets do below may keep an effect waiting.
		if (written.effects.length > 0) this.parts.ctx.waitUntil(this.outboxDrain.drain(written.effects));
		else if (decision.record !== before) this.parts.ctx.waitUntil(this.armAlarm());

		if (written.ack && actor && !written.ack.duplicate) this.frames.sent(actor.id);
		this.fanOut.tell(decision, written, sender);
		return decision;
	}

	/** The session with whatever deadline is due applied. */
	tick(): Decision {
		// Most ticks (every socket's upgrade) find nothing due, and a tick that finds nothing due
		// decides nothing: the status follows from the record and the roster, which only decisions change.
		const record = this.record;
		if (record && !anythingDue(record, this.now())) return { ...noChanges(), record, statusChanged: false };
		return this.execute(null, { type: "tick" });
	}

	admission(decision: Decision, actor: Actor, deviceId: string): Admission {
		if (decision.refusal) return { ok: false, reason: decision.refusal };
		const { record } = decision;
		return { ok: true, actor, deviceId, sessionId: record.sessionId, caseId: record.caseId, inviteSecret: record.inviteSecret, ...(record.routing ? { team: record.routing.team } : {}) };
	}

	state(): SessionState {
		if (!this.record) throw new Error("state of a session that does not exist");
		return stateOf(this.record, this.fanOut.participants(), this.store.log.lastSeq);
	}

	/** The log in the transcript's shape: the finished chat's transcript, or (`soFar`) an unfinished one's log. */
	transcript(soFar = false): string {
		const record = this.record;
		if (!record || (!soFar && !isTerminal(record))) throw new Error("a transcript is written once the chat has ended");
		return buildTranscript(record, this.store.roster.all(), this.store.log.jsonAfter(0, Number.MAX_SAFE_INTEGER));
	}

	/** The alarm that fired is spent: whatever is still pending is armed anew. */
	alarmFired(): void {
		this.alarmAt = undefined;
	}

	/** Arms the one alarm for the earliest deadline still pending or outbox retry; touches storage only when that moved. */
	async armAlarm(): Promise<void> {
		const record = this.record;
		const candidates = record ? pendingDeadlines(record) : [];
		for (const due of [this.store.outbox.nextAt(), this.parts.alsoDue()]) if (due !== null) candidates.push(due);
		const at = candidates.length === 0 ? null : Math.min(...candidates);
		if (at === this.alarmAt) return;
		this.alarmAt = at;
		if (at === null) await this.parts.ctx.storage.deleteAlarm();
		else await this.parts.ctx.storage.setAlarm(at);
	}

	/**
	 * A record written before the outbox existed kept its own retries (a transcript R2 refused, a
	 * report the directory had not confirmed): they become outbox rows once, and the record is
	 * saved without them. Called once the object is wired up, since arming the alarm asks `alsoDue`.
	 */
	adoptLegacyRetries(): void {
		const record = this.record;
		if (!record || this.legacyRetries.length === 0) return;
		this.store.adopt(this.legacyRetries, record, this.now());
		void this.parts.ctx.blockConcurrencyWhile(() => this.armAlarm());
	}
}
