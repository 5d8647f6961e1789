/**
 * Who is asking for a session's files: a participant by the token the join gave them (as
 * `Authorization: Bearer`), an agent as everywhere else (auth.ts), or — for an <img> or a
 * download link, which cannot send a header — whoever a 60-second download ticket was given to.
 * A participant token of another session is answered 404: that session's files do not exist for it.
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { signInsOf } from "../bindings";
import { verifyParticipantToken } from "../security/participant-token";
import { verifyTicket } from "../files/ticket";
import { agentActor, requireAgent } from "./auth";
import type { AppEnv } from "./context";
import type { FileRefusal } from "../files/contract";
import { bearerToken } from "../http/bearer";

export const fileActor = createMiddleware<AppEnv>(async (c, next) => {
	const keys = c.get("config").keys.participantTokens;
	const now = Date.now();
	const sessionId = c.req.param("sessionId") ?? "";
	const ticket = c.req.query("ticket");
	if (ticket !== undefined) {
		const actor = c.req.method === "GET" ? await verifyTicket(keys, ticket, sessionId, c.req.param("fileId") ?? "", now) : null;
		if (!actor) return c.json({ error: "this download link has expired: open the file from the chat again" }, 401);
		c.set("actor", actor);
		return next();
	}
	const token = bearerToken(c.req.header("Authorization"));
	const claims = token ? await verifyParticipantToken(keys, token, now) : null;
	if (claims) {
		if (claims.sid !== sessionId) return c.json({ error: "no such file" }, 404);
		// An agent's token dies with the console sign-in it was issued to, as at the chat's socket.
		if (claims.signIn !== undefined && !(await signInsOf(c.env, claims.name).isOpen(claims.signIn, now))) return c.json({ error: "invalid or expired participant token" }, 401);
		c.set("actor", { id: claims.pid, role: claims.role, name: claims.name, deviceId: claims.did });
		return next();
	}
	return requireAgent(c, async () => {
		c.set("actor", { ...agentActor(c.get("agent")), deviceId: null });
		await next();
	});
});

/** How a session's refusal of a call that came through `fileActor` is answered: its status and why. */
export function refused(c: Context<AppEnv>, refusal: FileRefusal): Response {
	return c.json({ error: refusal.error }, refusal.refused);
}
