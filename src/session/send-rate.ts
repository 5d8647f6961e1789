/**
 * How fast one participant may send messages: a token bucket per participant, kept in memory.
 * An eviction forgets it, which only ever lets a sender through sooner.
 */
const BURST = 60;
const REFILL_PER_SECOND = 30;

export class SendRate {
	private readonly buckets = new Map<string, { tokens: number; at: number }>();

	/** Whether the sender may send a message now; spends nothing. */
	allows(senderId: string, now: number): boolean {
		const bucket = this.buckets.get(senderId) ?? { tokens: BURST, at: now };
		bucket.tokens = Math.min(BURST, bucket.tokens + ((now - bucket.at) / 1000) * REFILL_PER_SECOND);
		bucket.at = now;
		this.buckets.set(senderId, bucket);
		return bucket.tokens >= 1;
	}

	/** Empties the sender's bucket: they wait for it to refill as if they had sent a burst. */
	exhaust(senderId: string, now: number): void {
		this.buckets.set(senderId, { tokens: 0, at: now });
	}

	/** Counts a message that `allows` let through. */
	spend(senderId: string): void {
		const bucket = this.buckets.get(senderId);
		if (bucket) bucket.tokens -= 1;
	}
}
