/**
 * The join socket's first frame (GET /api/join/ws): the answer POST /api/join gives, its status
 * and body. Written by the Worker for a link it refuses and by the session for one it admits or
 * refuses, so the page reads one frame whoever answered.
 */
import type { ServerFrame } from "../shared/protocol";
import { SERVER } from "../shared/protocol";
import { CHAT_SUBPROTOCOL } from "../shared/socket-auth";
import { socketPair } from "./socket-pair";

export function answerFrame(status: number, answer: unknown, retryAfter: string | null = null): string {
	const seconds = Number(retryAfter);
	return JSON.stringify({ type: SERVER.join, status, answer, retryAfterSeconds: Number.isFinite(seconds) && seconds > 0 ? seconds : null } satisfies ServerFrame);
}

/** A refused join on the socket: the refusal, then the close; the socket is never anyone's in a chat. */
export async function refusedOnSocket(refusal: Response): Promise<Response> {
	const { client, server } = socketPair();
	server.accept();
	server.send(answerFrame(refusal.status, await refusal.json(), refusal.headers.get("Retry-After")));
	server.close(1000, "join refused");
	return new Response(null, { status: 101, webSocket: client, headers: { "Sec-WebSocket-Protocol": CHAT_SUBPROTOCOL } });
}
