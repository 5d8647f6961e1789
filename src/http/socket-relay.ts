/**
 * Ends the client's WebSocket in the Worker and relays frames both ways to the session object's
 * hibernatable socket. Handed straight through, a socket that the object closes stays half-open
 * until the object hibernates (about 10 s in workerd) unless its client had sent a frame first:
 * the runtime keeps the object's end alive after the client's close reply. Relayed, the Worker
 * closes the client's end the moment the object's close arrives. The object still hibernates; the
 * relay costs the Worker a little CPU per frame.
 */
import { socketPair } from "./socket-pair";

/** 1005 and 1006 describe a close; they may not be sent in one. */
function sendable(code: number): number {
	return code === 1005 || code === 1006 ? 1000 : code;
}

function safely(act: () => void): void {
	try {
		act();
	} catch {
		// The other side is already gone.
	}
}

export function relaySocket(upstream: WebSocket, upstreamHeaders: Headers): Response {
	const { client, server } = socketPair();
	upstream.binaryType = "arraybuffer";
	server.binaryType = "arraybuffer";
	upstream.accept();
	server.accept();
	upstream.addEventListener("message", (event) => safely(() => server.send(event.data)));
	server.addEventListener("message", (event) => safely(() => upstream.send(event.data)));
	upstream.addEventListener("close", (event) => safely(() => server.close(sendable(event.code), event.reason)));
	server.addEventListener("close", (event) => safely(() => upstream.close(sendable(event.code), event.reason)));
	upstream.addEventListener("error", () => safely(() => server.close(1011, "session unavailable")));
	server.addEventListener("error", () => safely(() => upstream.close(1011, "client error")));
	const headers = new Headers();
	const protocol = upstreamHeaders.get("Sec-WebSocket-Protocol");
	if (protocol) headers.set("Sec-WebSocket-Protocol", protocol);
	return new Response(null, { status: 101, webSocket: client, headers });
}
