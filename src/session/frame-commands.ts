/**
 * Turns a client's frame into a command, adding what only the live object knows of the sender:
 * their pace (a token bucket), their typing bursts, and whether a message id was used before.
 * Kept in memory: an eviction forgets it, which only ever lets a sender through sooner.
 */
import type { Actor, ClientFrame } from "../shared/protocol";
import { CLIENT, LIMITS } from "../shared/protocol";
import type { Command } from "./decision";
import type { EventLog } from "./event-log";
import { endReasonFor } from "./policy";
import type { Revisions } from "./revisions";
import { SendRate } from "./send-rate";

export class FrameCommands {
	private readonly sendRate = new SendRate();
	private readonly lastTyping = new Map<string, number>();

	constructor(
		private readonly log: EventLog,
		private readonly revisions: Revisions,
	) {}

	/** `returning`: the customer is coming back to a chat the agent left. */
	commandOf(actor: Actor, frame: Exclude<ClientFrame, { type: "ping" }>, now: number, returning: boolean): Command {
		switch (frame.type) {
			case CLIENT.message: {
				const rateOk = this.sendRate.allows(actor.id, now);
				// Only a sender who is limited or coming back needs it decided here; for anyone else the log's append finds a resend (event-log.ts).
				const resendOf = !rateOk || returning ? this.log.seqOfClientId(actor.id, frame.clientId) : null;
				return { type: "message", clientId: frame.clientId, text: frame.text, rateOk, resendOf };
			}
			case CLIENT.typing: {
				const throttled = now - (this.lastTyping.get(actor.id) ?? 0) < LIMITS.typingIntervalMs;
				if (!throttled) this.lastTyping.set(actor.id, now);
				return { type: "typing", throttled };
			}
			case CLIENT.read:
				return { type: "read", seq: frame.seq };
			case CLIENT.leave:
				return { type: "leave" };
			case CLIENT.end:
				return { type: "end", reason: endReasonFor(actor.role, "end"), cascade: false };
			case CLIENT.resolve:
				return { type: "end", reason: endReasonFor(actor.role, "resolve"), cascade: true };
			case CLIENT.edit:
				return { type: "revise", of: frame.of, text: frame.text, target: this.revisions.target(frame.of) };
			case CLIENT.delete:
				return { type: "revise", of: frame.of, text: null, target: this.revisions.target(frame.of) };
		}
	}

	/** A frame over the limit counts against its sender: their whole allowance of messages is spent. */
	oversized(actorId: string, now: number): void {
		this.sendRate.exhaust(actorId, now);
	}

	/** A message was stored: it spends from the sender's bucket and ends their burst of typing, so the next keystroke may say so at once. */
	sent(actorId: string): void {
		this.sendRate.spend(actorId);
		this.lastTyping.delete(actorId);
	}
}
