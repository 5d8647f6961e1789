/** GET /api/openapi.json: the HTTP API, its bodies generated from the same schemas the routes use. */
import { Hono } from "hono";
import { z } from "zod";
import { CaseSchema, ChallengeSchema, CreateCaseSchema, ErrorSchema, InviteChannelsSchema, InviteSchema, InviteSentSchema, JoinSchema, ReissuedLinkSchema, JoinedSchema, SignInSchema, SignedInSchema, StartedSessionSchema } from "../shared/api";
import { LinkMadeSchema, LinkViewSchema, MakeLinkSchema, PeopleSchema } from "../shared/api";
import { StartUploadSchema, TicketSchema, UploadSchema } from "../shared/files";
import { QueueEntrySchema } from "../shared/queue";
import { TranscriptSchema } from "../shared/transcript";
import { AgentListSchema, CaseHistorySchema, TransferRequestSchema } from "../shared/transfer";
import type { AppEnv } from "./context";
import { routingPaths } from "./openapi-routing";

const schema = (s: z.core.$ZodType) => z.toJSONSchema(s, { io: "input", unrepresentable: "any" });
const json = (s: z.core.$ZodType, description: string) => ({ description, content: { "application/json": { schema: schema(s) } } });
const error = (description: string) => json(ErrorSchema, description);
const agentOnly = { security: [{ agentToken: [] }, { agentCookie: [] }] };
const unauthorised = { 401: error("missing or wrong agent token") };
const sessionIdParam = { name: "sessionId", in: "path", required: true, schema: { type: "string" } };
const caseIdParam = { name: "caseId", in: "path", required: true, schema: { type: "string", pattern: "^case-\\d{10}$" } };
const fileIdParam = { name: "fileId", in: "path", required: true, schema: { type: "string" } };
/** The file routes take a participant token as Bearer, or an agent's credentials. */
const participantOrAgent = { security: [{ participantToken: [] }, { agentToken: [] }, { agentCookie: [] }] };
const fileRefusals = { 401: error("no participant token or agent credentials"), 403: error("you have left this chat"), 404: error("no such session or file, or a token of another session") };
const stateResponse = { description: "the session's state (status, participants, deadlines); see docs/protocol.md" };

function document() {
	return {
		openapi: "3.1.0",
		info: { title: "Edge support chat", version: "1", description: "Cases, chat sessions, support keys and invites. WebSocket frames: docs/protocol.md. Every route also answers 400 (not JSON, or not UTF-8), 405 (no such method here, with Allow), 413 (over 16 KiB) and 415 (not application/json)." },
		components: {
			securitySchemes: {
				agentToken: { type: "http", scheme: "bearer" },
				participantToken: { type: "http", scheme: "bearer", description: "the token from POST /api/join or /api/sessions/{id}/agent" },
				agentCookie: { type: "apiKey", in: "cookie", name: "__Host-agent_session", description: "the console's session, from POST /api/auth/login; unsafe methods also need the page's own Origin" },
			},
		},
		paths: {
			"/healthz": { get: { summary: "Uptime check", responses: { 200: { description: "up" } } } },
			...routingPaths(json, error, agentOnly, unauthorised),
			"/api/cases": {
				post: { ...agentOnly, summary: "Open a case", requestBody: json(CreateCaseSchema, "the case"), responses: { 201: json(CaseSchema, "the case"), 422: error("invalid body"), ...unauthorised } },
				get: { ...agentOnly, summary: "List cases, open first", responses: { 200: json(z.object({ cases: z.array(CaseSchema) }), "cases"), ...unauthorised } },
			},
			"/api/cases/{caseId}": {
				get: { ...agentOnly, summary: "One case", parameters: [caseIdParam], responses: { 200: json(CaseSchema, "the case"), 404: error("no such case"), ...unauthorised } },
			},
			"/api/cases/{caseId}/resolve": {
				post: { ...agentOnly, summary: "Resolve the case (a live chat ends with it)", parameters: [caseIdParam], responses: { 200: json(CaseSchema, "the case"), 404: error("no such case"), ...unauthorised } },
			},
			"/api/cases/{caseId}/sessions": {
				post: {
					...agentOnly,
					summary: "Start a chat-only session: a 60-minute support key and an invite link",
					parameters: [caseIdParam],
					responses: { 201: json(StartedSessionSchema, "the session"), 404: error("no such case"), 409: error("the case is resolved"), ...unauthorised },
				},
			},
			"/api/join": {
				post: {
					summary: "An end-user joins with the support key or the invite token",
					requestBody: json(JoinSchema, "one of supportKey or inviteToken"),
					responses: {
						200: json(JoinedSchema, "a participant token and where to connect"),
						404: error("no chat matches"),
						410: error("the key has expired, was used or replaced, the link was replaced, or the chat has ended"),
						422: error("invalid body"),
						428: json(ChallengeSchema, "the deployment's budget of wrong keys is spent: send turnstileToken from a solved challenge"),
						429: error("too many wrong keys from this address"),
						503: error("over the budget with no Turnstile configured: only invite links join"),
					},
				},
			},
			"/api/join/ws": {
				get: {
					summary:
						'An end-user joins by the invite token on the chat\'s WebSocket: offered as the subprotocol "invite.<token>" beside "support-chat.v1". The first frame is {type: "join", status, answer, retryAfterSeconds}, the status and body POST /api/join would answer; after a 200 the chat runs on the same socket from its state frame, after a refusal the socket closes (see docs/protocol.md)',
					responses: { 101: { description: "switching protocols" }, 401: error("no invite token offered"), 403: error("origin not allowed"), 426: error("not a WebSocket upgrade") },
				},
			},
			"/api/queue": { get: { ...agentOnly, summary: "Chats whose customer waits for an agent", responses: { 200: json(z.object({ queue: z.array(QueueEntrySchema) }), "the queue, longest wait first"), ...unauthorised } } },
			"/api/queue/ws": {
				get: {
					...agentOnly,
					summary: "The queue, live: a WebSocket that sends {type: \"queue\", queue: [...]} on connect and whenever the queue changes",
					responses: { 101: { description: "switching protocols" }, 403: error("origin not allowed"), 426: error("not a WebSocket upgrade"), ...unauthorised },
				},
			},
			"/api/auth/login": {
				post: {
					summary: "Console sign-in: an agent token is exchanged for an HttpOnly, Secure, SameSite=Strict session cookie (12 hours)",
					requestBody: json(SignInSchema, "the agent token"),
					responses: { 200: json(SignedInSchema, "signed in"), 401: error("not an agent token"), 403: error("origin not allowed"), 422: error("invalid body"), 429: error("too many wrong tokens from this address") },
				},
			},
			"/api/auth/logout": { post: { summary: "Console sign-out: revokes this sign-in on the server and clears the cookie", responses: { 204: { description: "signed out" } } } },
			"/api/auth/logout-everywhere": {
				post: { ...agentOnly, summary: "Revokes every console sign-in of the agent's, their open queue sockets and chat tokens included", responses: { 204: { description: "signed out everywhere" }, ...unauthorised } },
			},
			"/api/auth/me": { get: { ...agentOnly, summary: "The signed-in agent", responses: { 200: json(SignedInSchema, "the agent"), ...unauthorised } } },
			"/api/sessions/{sessionId}": { get: { ...agentOnly, summary: "A session's state", parameters: [sessionIdParam], responses: { 200: stateResponse, 404: error("no such session"), ...unauthorised } } },
			"/api/sessions/{sessionId}/invite-link": {
				post: {
					...agentOnly,
					summary: "Reissue the invite link: the old one stops working and the sockets that came in by it close; the support key is unchanged",
					parameters: [sessionIdParam],
					responses: { 200: json(ReissuedLinkSchema, "the new invite link"), 409: error("no such session, or its chat has ended"), ...unauthorised },
				},
			},
			"/api/sessions/{sessionId}/agent": {
				post: { ...agentOnly, summary: "The agent joins the chat", parameters: [sessionIdParam], responses: { 200: json(JoinedSchema, "a participant token"), 404: error("no such session"), ...unauthorised } },
			},
			"/api/sessions/{sessionId}/end": { post: { ...agentOnly, summary: "End the chat (the case stays open)", parameters: [sessionIdParam], responses: { 200: stateResponse, 404: error("no such session"), ...unauthorised } } },
			"/api/sessions/{sessionId}/resolve": { post: { ...agentOnly, summary: "Resolve the case and end the chat", parameters: [sessionIdParam], responses: { 200: stateResponse, 404: error("no such session"), ...unauthorised } } },
			"/api/sessions/{sessionId}/invites": {
				get: { ...agentOnly, summary: "Which invite channels are set up; for each that is not, the settings it lacks", parameters: [sessionIdParam], responses: { 200: json(InviteChannelsSchema, "the channels"), ...unauthorised } },
				post: {
					...agentOnly,
					summary: "Send the invite link and support key by SMS or email",
					parameters: [sessionIdParam],
					requestBody: json(InviteSchema, "the channel and the recipient"),
					responses: {
						201: json(InviteSentSchema, "sent; recorded on the session with the recipient masked"),
						404: error("no such session"),
						410: error("the chat has ended"),
						422: error("invalid phone number or email address"),
						429: error("too many invites for this session or this agent"),
						502: error("the provider refused; recorded on the session"),
						503: error("this channel is not configured; the message names the missing setting"),
						...unauthorised,
					},
				},
			},
			"/api/sessions/{sessionId}/transcript": {
				get: {
					...agentOnly,
					summary: "The transcript of an ended chat, from R2",
					parameters: [sessionIdParam, { name: "download", in: "query", required: false, schema: { enum: ["0", "1"] } }],
					responses: { 200: { description: "the transcript JSON" }, 404: error("no such session"), 409: error("the chat has not ended"), ...unauthorised },
				},
			},
			"/api/sessions/{sessionId}/files": {
				post: {
					...participantOrAgent,
					summary: "Start sending a file (or learn which parts of it are stored: the same clientId resumes)",
					parameters: [sessionIdParam],
					requestBody: json(StartUploadSchema, "the file's name, size and declared type, and the sender's own id for it"),
					responses: {
						201: json(UploadSchema, "started: send parts 1 to `parts`"),
						200: json(UploadSchema, "already started: send the parts not in `partsDone`, then complete"),
						409: error("the chat has ended"),
						413: error("over the size limit for a file or for the session"),
						415: error("a type that is not allowed, or a declared type that disagrees with the name"),
						422: error("invalid body"),
						...fileRefusals,
					},
				},
			},
			"/api/sessions/{sessionId}/files/{fileId}/parts/{part}": {
				put: {
					...participantOrAgent,
					summary: "Send part `part` (from 1) as the raw bytes, exactly `partBytes` long (the last part: the rest); sending it again replaces it",
					parameters: [sessionIdParam, fileIdParam, { name: "part", in: "path", required: true, schema: { type: "integer", minimum: 1 } }],
					requestBody: { content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } } },
					responses: {
						200: json(UploadSchema, "stored"),
						400: error("the body is not the part's length"),
						410: error("the upload was cancelled"),
						415: error("the first part's bytes are not of the file's type: nothing was stored and the upload is cancelled"),
						422: error("no such part"),
						...fileRefusals,
					},
				},
			},
			"/api/sessions/{sessionId}/files/{fileId}/complete": {
				post: {
					...participantOrAgent,
					summary: "Finish the file: it is posted in the chat once, however often this is sent",
					parameters: [sessionIdParam, fileIdParam],
					responses: { 200: json(UploadSchema, "posted; `seq` is its event"), 409: error("parts are missing, or the chat has ended"), 410: error("the upload was cancelled"), ...fileRefusals },
				},
			},
			"/api/sessions/{sessionId}/files/{fileId}": {
				delete: {
					...participantOrAgent,
					summary: "Cancel an unfinished upload: its parts are removed and nothing is posted",
					parameters: [sessionIdParam, fileIdParam],
					responses: { 204: { description: "cancelled" }, 409: error("already sent"), ...fileRefusals },
				},
				get: {
					...participantOrAgent,
					summary: "Download the file as an attachment (nosniff, Content-Security-Policy: sandbox); `inline=1` shows a verified raster image inline",
					parameters: [
						sessionIdParam,
						fileIdParam,
						{ name: "ticket", in: "query", required: false, schema: { type: "string" }, description: "a download ticket instead of a header, for <img> and links" },
						{ name: "inline", in: "query", required: false, schema: { enum: ["0", "1"] } },
					],
					responses: { 200: { description: "the file, with its stored type" }, 409: error("still being checked by the scanner"), 410: error("blocked by the scanner"), ...fileRefusals },
				},
			},
			"/api/sessions/{sessionId}/files/{fileId}/ticket": {
				post: {
					...participantOrAgent,
					summary: "A download URL good for 60 seconds, for an <img> or a link (which cannot send a header)",
					parameters: [sessionIdParam, fileIdParam],
					responses: { 200: json(TicketSchema, "the URL"), 409: error("still being checked"), 410: error("blocked by the scanner"), ...fileRefusals },
				},
			},
			"/api/sessions/{sessionId}/links": {
				post: {
					...participantOrAgent,
					summary: "Make a link: an invite for a colleague (member) or a specialist, or one to continue on another device; the address is shown this once",
					parameters: [sessionIdParam],
					requestBody: json(MakeLinkSchema, "what the link is for"),
					responses: { ...fileRefusals, 201: json(LinkMadeSchema, "the link and its address"), 403: error("the policy does not let you make this link, or you are not in this chat"), 422: error("invalid body") },
				},
			},
			"/api/sessions/{sessionId}/links/{linkId}/revoke": {
				post: {
					...participantOrAgent,
					summary: "Revoke a link (its maker, or an agent): the devices that came in by it are disconnected and refused",
					parameters: [sessionIdParam, { name: "linkId", in: "path", required: true, schema: { type: "string" } }],
					responses: { ...fileRefusals, 200: json(LinkViewSchema, "the link, revoked"), 403: error("only its maker or an agent may revoke it, or you are not in this chat"), 404: error("no such link or session") },
				},
			},
			"/api/sessions/{sessionId}/people/{participantId}/remove": {
				post: {
					...participantOrAgent,
					summary: "Remove someone: the owner removes colleagues, an agent anyone but the owner; their sockets close and their links and tokens stop working",
					parameters: [sessionIdParam, { name: "participantId", in: "path", required: true, schema: { type: "string" } }],
					responses: { ...fileRefusals, 200: json(z.object({ removed: z.string() }), "removed"), 403: error("the policy does not let you remove them, or you are not in this chat"), 404: error("nobody by that id, or no such session") },
				},
			},
			"/api/sessions/{sessionId}/people": {
				get: {
					...participantOrAgent,
					summary: "Devices and people in this chat, and the links handed out, as the asker may act on them",
					parameters: [sessionIdParam],
					responses: { 200: json(PeopleSchema, "people and links"), ...fileRefusals },
				},
			},
			"/api/sessions/{sessionId}/ws": {
				get: {
					summary: 'Open the chat WebSocket, the participant token offered as the subprotocol "token.<token>" beside "support-chat.v1" (see docs/protocol.md)',
					parameters: [sessionIdParam, { name: "since", in: "query", required: false, schema: { type: "integer", minimum: 0 } }],
					responses: { 101: { description: "switching protocols" }, 401: error("bad token"), 403: error("origin not allowed, or not in the chat"), 426: error("not a WebSocket upgrade") },
				},
			},
			// Handing a chat over and a case's history (routes/transfers.ts, docs/protocol.md "Transfers").
			"/api/agents": {
				get: { ...agentOnly, summary: "The deployment's other agents, and whether each has a console open (and so can be offered a chat)", responses: { 200: json(AgentListSchema, "the agents"), ...unauthorised } },
			},
			"/api/sessions/{sessionId}/transfer": {
				post: {
					...agentOnly,
					summary: "Offer the chat to another agent (who accepts in their console), or put it back in the queue at once; the caller must be in the chat",
					parameters: [sessionIdParam],
					requestBody: json(TransferRequestSchema, "to an agent by name, or to the queue"),
					responses: {
						200: stateResponse,
						403: error("you are not in this chat"),
						404: error("no such session or agent"),
						409: error("already offered, offered to yourself, the agent has no console open, another agent is in the chat, the customer is not, or the chat has ended"),
						422: error("invalid body"),
						...unauthorised,
					},
				},
			},
			"/api/sessions/{sessionId}/transfer/cancel": {
				post: { ...agentOnly, summary: "Withdraw your offer of the chat", parameters: [sessionIdParam], responses: { 200: stateResponse, 403: error("someone else made the offer"), 404: error("no such session"), 409: error("nothing is offered"), ...unauthorised } },
			},
			"/api/sessions/{sessionId}/transfer/accept": {
				post: {
					...agentOnly,
					summary: "Take the chat offered to you: you are in it and the offering agent out, in one step (then join it with POST /api/sessions/{sessionId}/agent)",
					parameters: [sessionIdParam],
					responses: { 200: stateResponse, 404: error("no such session"), 409: error("not offered to you (any more)"), ...unauthorised },
				},
			},
			"/api/sessions/{sessionId}/transfer/decline": {
				post: { ...agentOnly, summary: "Decline the chat offered to you: it stays with the offering agent", parameters: [sessionIdParam], responses: { 200: stateResponse, 404: error("no such session"), 409: error("not offered to you (any more)"), ...unauthorised } },
			},
			"/api/sessions/{sessionId}/log": {
				get: { ...agentOnly, summary: "The chat so far, in the transcript's shape (for a chat whose transcript is not written yet)", parameters: [sessionIdParam], responses: { 200: json(TranscriptSchema, "the log"), 404: error("no such session"), ...unauthorised } },
			},
			"/api/cases/{caseId}/history": {
				get: { ...agentOnly, summary: "The case's chats, oldest first, each with whether its transcript is written", parameters: [caseIdParam], responses: { 200: json(CaseHistorySchema, "the history"), 404: error("no such case"), ...unauthorised } },
			},
		},
	};
}

let built: ReturnType<typeof document> | null = null;

export const openapi = new Hono<AppEnv>().get("/", (c) => c.json((built ??= document())));
