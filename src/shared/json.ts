/**
 * A JSON text read against a schema: the value if it parses and fits, null for anything else,
 * malformed JSON included. For frames and headers from the other side, which may be anything.
 * Typed by what both zod and zod/mini schemas have, so the Worker and the pages share it.
 */
interface Checks<T> {
	safeParse(value: unknown): { success: true; data: T } | { success: false };
}

export function parseJsonAs<T>(schema: Checks<T>, raw: string): T | null {
	let json: unknown;
	try {
		json = JSON.parse(raw);
	} catch {
		return null;
	}
	const parsed = schema.safeParse(json);
	return parsed.success ? parsed.data : null;
}
