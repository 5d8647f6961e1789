/**
 * Plays Cloudflare Turnstile's siteverify on loopback: a real HTTP server that passes each token
 * it was told about once (Turnstile's tokens are single-use) and fails everything else.
 */
import { createServer } from "node:http";

export interface FakeTurnstile {
	url: string;
	/** Each verify request's form: secret, response, remoteip. */
	received: URLSearchParams[];
	/** A token the next verify of it passes, once; over HTTP, a POST to `${origin}/issue/<token>` does the same. */
	issue(token: string): void;
	close(): Promise<void>;
	/** Lets the process exit with the server still listening (the worker tests' config starts it for the whole run). */
	unref(): void;
}

export async function startFakeTurnstile(): Promise<FakeTurnstile> {
	const received: URLSearchParams[] = [];
	const unused = new Set<string>();
	const server = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on("data", (chunk: Buffer) => chunks.push(chunk));
		request.on("end", async () => {
			// Tests inside workerd cannot call issue(): they ask for a token over HTTP instead.
			const issued = /^\/issue\/([\w-]+)$/.exec(request.url ?? "");
			if (issued?.[1]) {
				unused.add(issued[1]);
				response.end("issued");
				return;
			}
			// Workers send the form as multipart/form-data; Response parses it as a browser would.
			const form = await new Response(Buffer.concat(chunks), { headers: { "Content-Type": request.headers["content-type"] ?? "" } }).formData();
			const fields = new URLSearchParams();
			for (const [name, value] of form) if (typeof value === "string") fields.set(name, value);
			received.push(fields);
			const token = fields.get("response") ?? "";
			const success = unused.delete(token);
			response.setHeader("Content-Type", "application/json");
			response.end(JSON.stringify(success ? { success, hostname: "localhost", "error-codes": [] } : { success, "error-codes": ["invalid-input-response"] }));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	const address = server.address();
	if (typeof address !== "object" || address === null) throw new Error("the fake siteverify is not listening");
	return {
		url: `http://127.0.0.1:${address.port}/turnstile/v0/siteverify`,
		received,
		issue: (token) => unused.add(token),
		close: () => new Promise((resolve) => server.close(() => resolve())),
		unref: () => server.unref(),
	};
}
