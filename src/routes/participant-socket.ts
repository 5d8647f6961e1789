/**
 * GET /api/sessions/{id}/ws, a participant's socket: checked here, so that nothing unauthorised
 * reaches the object; the token comes as a subprotocol (socket-auth.ts). Every page load and every
 * reconnect opens one, so the Worker takes an upgrade to this path before the Hono app does
 * (index.ts): the app's dispatch and middleware were 0.6 ms of the 6.3 ms of CPU a socket's open
 * and close cost (2026-12-02, docs/performance.md). The app's route answers the rest of the path
 * (HEAD, a GET that is no upgrade) with the same checks, from here.
 */
import { z } from "zod";
import { sessionOf, signInsOf } from "../bindings";
import type { Config } from "../config";
import { readConfig } from "../config";
import { jsonError } from "../http/json-error";
import { verifyParticipantToken } from "../security/participant-token";
import { CHAT_SUBPROTOCOL, tokenFromProtocols } from "../shared/socket-auth";
import type { SocketActor } from "../session/contract";
import { ACTOR_HEADER } from "../session/contract";
import { errorAnswer } from "./error-answer";
import { originAllowed } from "./links";
import { logRequest, requestIdOf } from "./request-log";
import { withAnswerHeaders } from "./response-headers";
import { invalidInput } from "./validate";
import { SessionParam } from "./params";

const SOCKET_PATH = /^\/api\/sessions\/([^/]+)\/ws$/;
const SocketQuery = z.object({ since: z.coerce.number().int().nonnegative().default(0) });

/** The checks, in the order the app's routes make them: the path, the query, the Origin, then the upgrade and the token. */
export async function participantSocket(request: Request, env: Env, config: Config, sessionIdInPath: string): Promise<Response> {
	const param = SessionParam.safeParse({ sessionId: sessionIdInPath });
	if (!param.success) return invalidInput("param", param.error);
	const url = new URL(request.url);
	const query = SocketQuery.safeParse({ since: url.searchParams.get("since") ?? undefined });
	if (!query.success) return invalidInput("query", query.error);
	const origin = request.headers.get("Origin");
	if (origin !== null && !originAllowed(origin, request.url, config)) return jsonError(403, "origin not allowed");
	if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") return jsonError(426, "expected a WebSocket upgrade");

	const { sessionId } = param.data;
	const token = tokenFromProtocols(request.headers.get("Sec-WebSocket-Protocol") ?? undefined);
	if (!token) return jsonError(401, `a participant token is required, offered as the subprotocol "token.<token>" next to "${CHAT_SUBPROTOCOL}"`);
	const now = Date.now();
	const claims = await verifyParticipantToken(config.keys.participantTokens, token, now);
	if (!claims || claims.sid !== sessionId) return jsonError(401, "invalid or expired participant token");
	// An agent's token dies with the console sign-in it was issued to.
	if (claims.signIn !== undefined && !(await signInsOf(env, claims.name).isOpen(claims.signIn, now))) {
		return jsonError(401, "invalid or expired participant token");
	}
	const actor: SocketActor = { id: claims.pid, role: claims.role, name: claims.name, deviceId: claims.did, ...(claims.signIn === undefined ? {} : { signIn: claims.signIn }) };
	url.search = `?since=${query.data.since}`;
	return sessionOf(env, sessionId).fetch(url, { headers: { Upgrade: "websocket", [ACTOR_HEADER]: JSON.stringify(actor) } });
}

/** The socket a GET upgrade to a participant's path opens, answered as the app answers (a log line, its headers, its errors); null for any other request. */
export function participantUpgrade(request: Request, env: Env): Promise<Response> | null {
	if (request.method !== "GET" || request.headers.get("Upgrade")?.toLowerCase() !== "websocket") return null;
	const sessionId = SOCKET_PATH.exec(new URL(request.url).pathname)?.[1];
	return sessionId === undefined ? null : answered(request, env, sessionId);
}

async function answered(request: Request, env: Env, sessionId: string): Promise<Response> {
	const requestId = requestIdOf(request);
	const started = Date.now();
	let response: Response;
	try {
		response = await participantSocket(request, env, readConfig(env), sessionId);
	} catch (error) {
		response = errorAnswer(error instanceof Error ? error : new Error(String(error)), requestId);
	}
	logRequest(requestId, request, response.status, started);
	if (response.status === 101) return response;
	const withHeaders = withAnswerHeaders(response, request.url);
	withHeaders.headers.set("X-Request-Id", requestId);
	return withHeaders;
}
