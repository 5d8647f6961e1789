/**
 * Plays a Twilio-compatible SMS provider on loopback: a real HTTP server that records each
 * request and answers with success or with the error the test asks for.
 */
import { createServer } from "node:http";

export interface CapturedSms {
	path: string;
	authorization: string | undefined;
	form: URLSearchParams;
}

export interface FakeSmsProvider {
	url: string;
	received: CapturedSms[];
	/** The next answers; when empty, every request succeeds. */
	failNext(status: number, message: string): void;
	close(): Promise<void>;
}

export async function startFakeSmsProvider(): Promise<FakeSmsProvider> {
	const received: CapturedSms[] = [];
	const failures: { status: number; message: string }[] = [];
	const server = createServer((request, response) => {
		let body = "";
		request.on("data", (chunk: Buffer) => (body += chunk.toString()));
		request.on("end", () => {
			received.push({ path: request.url ?? "", authorization: request.headers.authorization, form: new URLSearchParams(body) });
			const failure = failures.shift();
			response.setHeader("Content-Type", "application/json");
			if (failure) {
				response.statusCode = failure.status;
				response.end(JSON.stringify({ code: 21211, message: failure.message, status: failure.status }));
			} else {
				response.statusCode = 201;
				response.end(JSON.stringify({ sid: `SM${String(received.length).padStart(32, "0")}`, status: "queued" }));
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	const address = server.address();
	if (typeof address !== "object" || address === null) throw new Error("the fake provider is not listening");
	return {
		url: `http://127.0.0.1:${address.port}`,
		received,
		failNext: (status, message) => failures.push({ status, message }),
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}
