/**
 * Plays a file scanner on loopback: a real HTTP server that takes each file as the Worker POSTs
 * it and answers by what the file contains — "EICAR" infected, "NO-ANSWER" never answered (the
 * request is held until the server closes), anything else clean.
 */
import type { ServerResponse } from "node:http";
import { createServer } from "node:http";

export interface ScannedFile {
	fileId: string | undefined;
	contentType: string | undefined;
	bytes: Buffer;
}

export interface FakeScanner {
	url: string;
	received: ScannedFile[];
	close(): Promise<void>;
}

export async function startFakeScanner(): Promise<FakeScanner> {
	const received: ScannedFile[] = [];
	const held: ServerResponse[] = [];
	const server = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on("data", (chunk: Buffer) => chunks.push(chunk));
		request.on("end", () => {
			const bytes = Buffer.concat(chunks);
			received.push({ fileId: request.headers["x-file-id"]?.toString(), contentType: request.headers["content-type"], bytes });
			if (bytes.includes("NO-ANSWER")) return void held.push(response);
			response.setHeader("Content-Type", "application/json");
			response.end(JSON.stringify({ verdict: bytes.includes("EICAR") ? "infected" : "clean" }));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	const address = server.address();
	if (typeof address !== "object" || address === null) throw new Error("the fake scanner is not listening");
	return {
		url: `http://127.0.0.1:${address.port}/scan`,
		received,
		close: () => {
			for (const response of held) response.destroy();
			server.closeAllConnections();
			return new Promise((resolve) => server.close(() => resolve()));
		},
	};
}
