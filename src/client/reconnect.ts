/**
 * Reconnecting with growing pauses, for every socket the pages keep open (a chat session, the
 * console's queue): 2× longer after each failed try up to a ceiling, with jitter so that many
 * clients dropped at once do not all come back in the same instant.
 */
export class Reconnect {
	private attempts = 0;
	private timer: ReturnType<typeof setTimeout> | null = null;

	constructor(
		private readonly open: () => void,
		private readonly minMs: number,
		private readonly maxMs: number,
	) {}

	/** Whether the last connection was lost and not yet made again. */
	get retrying(): boolean {
		return this.attempts > 0;
	}

	/** Opens again after the next pause. */
	schedule(): void {
		this.cancel();
		const delay = Math.min(this.maxMs, this.minMs * 2 ** this.attempts) * (0.5 + Math.random() / 2);
		this.attempts += 1;
		this.timer = setTimeout(() => {
			this.timer = null;
			this.open();
		}, delay);
	}

	/** The connection works again: the next drop starts from the shortest pause. */
	succeeded(): void {
		this.attempts = 0;
	}

	cancel(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
	}
}
