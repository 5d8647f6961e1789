/**
 * Reads a stream's first bytes without losing them: the type check needs the head of a file
 * before any of it is stored, and the rest must still stream on to R2 untouched.
 */
export interface Peeked {
	head: Uint8Array;
	/** The whole stream again, head included. */
	stream: ReadableStream<Uint8Array>;
}

export async function peek(body: ReadableStream<Uint8Array>, bytes: number): Promise<Peeked> {
	const reader = body.getReader();
	const chunks: Uint8Array[] = [];
	let seen = 0;
	let done = false;
	while (seen < bytes && !done) {
		const next = await reader.read();
		if (next.done) done = true;
		else {
			chunks.push(next.value);
			seen += next.value.byteLength;
		}
	}
	const first = concat(chunks);
	const stream = new ReadableStream<Uint8Array>({
		start(controller) {
			if (first.byteLength > 0) controller.enqueue(first);
			if (done) controller.close();
		},
		async pull(controller) {
			const next = await reader.read();
			if (next.done) controller.close();
			else controller.enqueue(next.value);
		},
		cancel(reason) {
			return reader.cancel(reason);
		},
	});
	return { head: first.subarray(0, bytes), stream };
}

function concat(chunks: Uint8Array[]): Uint8Array {
	if (chunks.length === 1 && chunks[0]) return chunks[0];
	const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
	let at = 0;
	for (const chunk of chunks) {
		out.set(chunk, at);
		at += chunk.byteLength;
	}
	return out;
}
