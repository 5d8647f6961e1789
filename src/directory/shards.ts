/**
 * How the case directory shards (docs/architecture.md, "The directory"): a deployment has
 * `DIRECTORY_SHARDS` directory objects. A case lives in the shard its id's first two digits name,
 * and the support keys of its sessions are drawn so that theirs name the same shard: starting a
 * session stays one synchronous call in one object, and a join finds the key in one object too.
 * The queue is one more object per team, told of status changes beside the case's shard; with a
 * single shard, that one object is all three, as before sharding.
 */
import { randomDigits } from "../security/random";

export interface Shard {
	index: number;
	count: number;
}

/** Ids and keys are at least this many digits; the first two choose the shard (1 to 100 shards). */
const SHARD_DIGITS = 2;
export const MAX_SHARDS = 100;

/** The shard a key or a case id's digits belong to. */
export function shardOfDigits(digits: string, count: number): number {
	const lead = Number(digits.slice(0, SHARD_DIGITS));
	return Number.isInteger(lead) ? lead % count : 0;
}

/** Random digits that belong to `shard`: drawn again until they do (on average `count` draws). */
export function randomDigitsIn(length: number, shard: Shard): string {
	for (;;) {
		const digits = randomDigits(length);
		if (shardOfDigits(digits, shard.count) === shard.index) return digits;
	}
}

/** The digits of a case id (`case-0123456789`). */
export function caseDigits(caseId: string): string {
	return caseId.replace(/^case-/, "");
}

/** A limit counted per shard, so that together the shards allow about the deployment's whole limit. */
export function perShard(limit: number, count: number): number {
	return Math.max(1, Math.ceil(limit / count));
}
