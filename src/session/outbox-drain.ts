/**
 * Drains a session's outbox: tries every effect that is due and not already under way, each try
 * leased first (counted, its retry scheduled) so that a death on the way leaves it due again; the
 * effects a change has just written come leased already.
 */
import type { Clock } from "./clock";
import type { Effect, EffectPorts } from "./effects";
import { EffectSchema, perform } from "./effects";
import type { Outbox, OutboxEntry } from "./outbox";

/** A try that has not answered by then counts as failed; its lease has already armed the retry. */
const TRY_TIMEOUT_MS = 30_000;

export class OutboxDrain {
	/** Tries under way in this instance, by row; a drain skips them, and callers can wait for them. */
	private readonly tries = new Map<number, Promise<void>>();

	constructor(
		private readonly outbox: Outbox,
		private readonly ports: EffectPorts,
		private readonly clock: () => Clock,
		/** Builds the ended session's transcript. */
		private readonly transcript: () => string,
		/** Re-arms the object's one alarm for whatever is due next. */
		private readonly armAlarm: () => Promise<void>,
	) {}

	/** `fresh`: the rows the change just wrote, leased already (Outbox.put); everything else due is leased here. */
	async drain(fresh: OutboxEntry[] = []): Promise<void> {
		const now = this.clock()();
		const skip = (entry: OutboxEntry) => this.tries.has(entry.id) || fresh.some((f) => f.id === entry.id);
		const starting = [...fresh, ...this.outbox.due(now).filter((entry) => !skip(entry)).map((entry) => this.outbox.lease(entry, now))];
		if (starting.length === 0) return this.armAlarm();
		const tries = starting.map((entry) => {
			const attempt = this.attempt(entry).finally(() => this.tries.delete(entry.id));
			this.tries.set(entry.id, attempt);
			return attempt;
		});
		await this.armAlarm();
		await Promise.all(tries);
		await this.armAlarm();
	}

	/**
	 * Resolves once every try under way has finished (done, or its retry armed), or after `limitMs`:
	 * a caller that only wants the directory to have heard need not wait on a slow R2.
	 */
	async drained(limitMs = TRY_TIMEOUT_MS): Promise<void> {
		let timer: ReturnType<typeof setTimeout> | null = null;
		const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, limitMs)));
		const all = (async () => {
			while (this.tries.size > 0) await Promise.all([...this.tries.values()]);
		})();
		await Promise.race([all, limit]);
		clearTimeout(timer);
	}

	private async attempt(entry: OutboxEntry): Promise<void> {
		let effect: Effect;
		try {
			effect = EffectSchema.parse(JSON.parse(entry.payload));
		} catch {
			// Written by this code, so it cannot happen short of a bug: keeping it would retry it forever.
			console.error(JSON.stringify({ message: "outbox row is not an effect, dropped", row: entry.id }));
			return this.outbox.done(entry.id);
		}
		let timer: ReturnType<typeof setTimeout> | null = null;
		try {
			const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${TRY_TIMEOUT_MS / 1000} s`)), TRY_TIMEOUT_MS)));
			await Promise.race([perform(effect, this.ports, this.transcript), timeout]);
			this.outbox.done(entry.id);
		} catch (error) {
			console.error(JSON.stringify({ message: "effect failed, will retry", effect: effect.kind, attempt: entry.attempts, error: String(error) }));
		} finally {
			clearTimeout(timer);
		}
	}
}
