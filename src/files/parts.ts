/**
 * How an upload is cut into parts. R2 multipart parts are at least 5 MiB (all but the last), and
 * a part is what a dropped connection loses, so parts are exactly that size: a file that fits in
 * one is a single plain `put`, anything larger a multipart upload resumed part by part.
 */
export const PART_BYTES = 5 * 1024 * 1024;

export function partCount(size: number): number {
	return Math.max(1, Math.ceil(size / PART_BYTES));
}

/** The exact length part `n` (from 1) of a file of `size` bytes has; null past the last part. */
export function partLength(size: number, n: number): number | null {
	const count = partCount(size);
	if (!Number.isInteger(n) || n < 1 || n > count) return null;
	return n < count ? PART_BYTES : size - PART_BYTES * (count - 1);
}

export function isMultipart(size: number): boolean {
	return partCount(size) > 1;
}
