/**
 * Chats customers start (the website widget, a case's page): what the pre-chat form shows of a
 * team, starting a chat, leaving a message when nobody is there, and a waiting customer's place.
 * Open to the internet: every start passes chat-guard.ts first, and nothing is created for one
 * it refuses.
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { z } from "zod";
import { caseDirectoryOf, newCaseDirectory, routerOf, sessionOf } from "../bindings";
import type { CaseRecord } from "../shared/api";
import type { ChatStarted, MessageLeft, StartChat, TeamInfo } from "../shared/routing";
import { LeaveMessageSchema, StartChatSchema } from "../shared/routing";
import { emailSettings } from "../invites/invite-config";
import { sendReceipt } from "../invites/send-receipt";
import { logLine } from "../logging/log";
import { verifyCaseToken } from "../security/case-token";
import { verifyParticipantToken } from "../security/participant-token";
import { randomId128 } from "../security/random";
import { isOpen, nextOpening } from "../routing/hours";
import type { Team } from "../routing/routing-config";
import { teamOf } from "../routing/routing-config";
import { refuseStart } from "./chat-guard";
import type { AppEnv } from "./context";
import { customerActor, openCustomerChat } from "./customer-chat";
import { valid } from "./validate";
import { bearerToken } from "../http/bearer";
import { SessionParam } from "./params";

const TeamParam = z.object({ team: z.string().max(40) });
const TeamQuery = z.object({ caseToken: z.string().max(2048).optional() });
const LeftInChat = z.strictObject({ text: z.string().trim().max(4000).optional() });

type Found<T> = { ok: true; value: T } | { ok: false; response: Response };

function findTeam(c: Context<AppEnv>, teamId: string, queueId: string | null): Found<Team> {
	const team = teamOf(c.get("config").routing, teamId);
	if (!team) return { ok: false, response: c.json({ error: `no team "${teamId}"` }, 404) };
	if (queueId !== null && !team.queues.some((q) => q.id === queueId)) return { ok: false, response: c.json({ error: `team "${teamId}" has no queue "${queueId}"` }, 404) };
	return { ok: true, value: team };
}

/** The case a case token names, if the token is genuine and the case open. */
async function caseOfToken(c: Context<AppEnv>, token: string): Promise<Found<CaseRecord>> {
	const keys = c.get("config").caseTokenKeys;
	if (!keys) return { ok: false, response: c.json({ error: "chats for a case are not configured here (CASE_TOKEN_KEYS)" }, 400) };
	const claims = await verifyCaseToken(keys, token, Date.now());
	if (!claims) return { ok: false, response: c.json({ error: "invalid or expired case token: ask for a new link" }, 401) };
	const found = await caseDirectoryOf(c.env, claims.caseId).getCase(claims.caseId);
	if (!found) return { ok: false, response: c.json({ error: "no such case" }, 404) };
	if (found.status === "resolved") return { ok: false, response: c.json({ error: "this case is resolved; start a new chat instead" }, 409) };
	return { ok: true, value: found };
}

/**
 * The case a start is about, once the start may happen: the token's case (checked first, so that a
 * wrong token spends none of the address's allowance), then the limits and the challenge, then a
 * new case from the form when there is no token. Nothing is created for a refused start.
 */
async function caseFor(c: Context<AppEnv>, body: StartChat, team: Team): Promise<Found<CaseRecord>> {
	const given = body.caseToken === undefined ? null : await caseOfToken(c, body.caseToken);
	if (given && !given.ok) return given;
	const refused = await refuseStart(c, body.turnstileToken);
	if (refused) return { ok: false, response: refused };
	if (given) return given;
	const queueName = team.queues.find((q) => q.id === body.queue)?.name ?? body.queue;
	// The customer sees the subject in their own language's page: names only, no English around them.
	const subject = body.topic || `${team.name} · ${queueName}`;
	const { directory, shard } = newCaseDirectory(c.env);
	const created = await directory.createCase({ subject, severity: "normal", customer: { name: body.name, ...(body.email ? { email: body.email } : {}) } }, "customer", Date.now(), shard);
	return { ok: true, value: created };
}

/** Tells the customer by email, if they gave one and email is set up, that their message is in. */
async function receipt(c: Context<AppEnv>, found: CaseRecord, team: Team, name: string, text: string): Promise<MessageLeft["replyBy"]> {
	const to = found.customer.email;
	const settings = emailSettings(c.env);
	if (!to || !settings.ok) return "none";
	const sent = await sendReceipt(settings.settings, to, { caseId: found.caseId, customerName: name, teamName: team.name, text });
	if (!sent.ok) logLine("error", "receipt_not_sent", { requestId: c.get("requestId"), caseId: found.caseId, detail: sent.detail });
	return "email";
}

// What the pre-chat form shows of a team (/api/teams) and leaving a message (/api/messages) are not
// under /api/chats: a fixed name there beside /api/chats/:sessionId/… makes Hono's RegExpRouter
// give up, and every request of the Worker would then be matched by the slower TrieRouter.

export const teams = new Hono<AppEnv>()
	.get("/:team", valid("param", TeamParam), valid("query", TeamQuery), async (c) => {
		const team = findTeam(c, c.req.valid("param").team, null);
		if (!team.ok) return team.response;
		const { caseToken } = c.req.valid("query");
		const forCase = caseToken === undefined ? null : await caseOfToken(c, caseToken);
		if (forCase && !forCase.ok) return forCase.response;
		const now = Date.now();
		const info: TeamInfo = {
			id: team.value.id,
			name: team.value.name,
			queues: team.value.queues,
			open: isOpen(team.value.hours, now),
			opensAt: nextOpening(team.value.hours, now),
			turnstileSiteKey: c.get("config").turnstile?.siteKey ?? null,
			case: forCase ? { caseId: forCase.value.caseId, subject: forCase.value.subject } : null,
		};
		return c.json(info);
	});

/** Leave a message when nobody can chat: it becomes a case whose correspondence holds it. */
export const messages = new Hono<AppEnv>()
	.post("/", valid("json", LeaveMessageSchema), async (c) => {
		const body = c.req.valid("json");
		const team = findTeam(c, body.team, body.queue);
		if (!team.ok) return team.response;
		const found = await caseFor(c, body, team.value);
		if (!found.ok) return found.response;
		// The message is the chat's only line, so the case's correspondence (the transcript) holds it like any chat.
		const joined = await openCustomerChat(c, found.value, body.name, null);
		const session = sessionOf(c.env, joined.sessionId);
		const actor = customerActor(body.name);
		await session.say(actor, `left-${randomId128()}`, body.text);
		await session.end(actor, "ended_by_customer");
		return c.json({ caseId: found.value.caseId, replyBy: await receipt(c, found.value, team.value, body.name, body.text) } satisfies MessageLeft, 201);
	});

export const chats = new Hono<AppEnv>()
	.post("/", valid("json", StartChatSchema), async (c) => {
		const body = c.req.valid("json");
		const team = findTeam(c, body.team, body.queue);
		if (!team.ok) return team.response;
		if (!isOpen(team.value.hours, Date.now())) return c.json({ error: `${team.value.name} is closed now: leave a message and you will hear back`, opensAt: nextOpening(team.value.hours, Date.now()) }, 409);
		const found = await caseFor(c, body, team.value);
		if (!found.ok) return found.response;
		const joined = await openCustomerChat(c, found.value, body.name, { team: team.value.id, queue: body.queue });
		return c.json({ ...joined, team: team.value.id, queue: body.queue } satisfies ChatStarted, 201);
	})
	.get("/:sessionId/place", valid("param", SessionParam), async (c) => {
		const customer = await customerOf(c, c.req.valid("param").sessionId);
		if (customer instanceof Response) return customer;
		const state = await sessionOf(c.env, customer.sid).routing();
		if (!state) return c.json({ position: null, estimatedWaitMs: null, nobodyThere: false });
		return c.json(await routerOf(c.env, state.team).placeOf(state.team, customer.sid));
	})
	.post("/:sessionId/leave-message", valid("param", SessionParam), valid("json", LeftInChat), async (c) => {
		const customer = await customerOf(c, c.req.valid("param").sessionId);
		if (customer instanceof Response) return customer;
		const session = sessionOf(c.env, customer.sid);
		const state = await session.describe();
		const routing = await session.routing();
		const team = routing ? teamOf(c.get("config").routing, routing.team) : null;
		if (!state || !team) return c.json({ error: "this chat was not started from the website" }, 404);
		const { text } = c.req.valid("json");
		const actor = customerActor(customer.name);
		if (text) await session.say(actor, `left-${randomId128()}`, text);
		await session.end(actor, "ended_by_customer");
		const found = await caseDirectoryOf(c.env, state.case.caseId).getCase(state.case.caseId);
		const replyBy = found ? await receipt(c, found, team, customer.name, text ?? "") : "none";
		return c.json({ caseId: state.case.caseId, replyBy } satisfies MessageLeft);
	});

/** The chat's customer, by the participant token their page holds (Authorization: Bearer). */
async function customerOf(c: Context<AppEnv>, sessionId: string): Promise<{ sid: string; name: string } | Response> {
	const token = bearerToken(c.req.header("Authorization"));
	const claims = token ? await verifyParticipantToken(c.get("config").keys.participantTokens, token, Date.now()) : null;
	if (!claims || claims.sid !== sessionId || claims.role !== "customer") return c.json({ error: "the chat's participant token is required (Authorization: Bearer)" }, 401);
	return { sid: claims.sid, name: claims.name };
}
