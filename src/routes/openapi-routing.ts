/** The OpenAPI entries of customer-started chats (chats.ts) and routing (routing.ts); openapi.ts puts them in the document. */
import { z } from "zod";
import { ChallengeSchema, JoinedSchema } from "../shared/api";
import { ChatStartedSchema, LeaveMessageSchema, MessageLeftSchema, MyRoutingSchema, PlaceSchema, RoutingFrameSchema, SetAvailabilitySchema, StartChatSchema, TeamInfoSchema } from "../shared/routing";

type Body = (s: z.core.$ZodType, description: string) => object;

export function routingPaths(json: Body, error: (description: string) => object, agentOnly: object, unauthorised: object) {
	const sessionIdParam = { name: "sessionId", in: "path", required: true, schema: { type: "string" } };
	const customer = { security: [{ participantToken: [] }] };
	const startRefusals = {
		404: error("no such team or queue, or no such case"),
		401: error("the case token is forged or expired"),
		428: json(ChallengeSchema, "solve the Turnstile challenge and send its token as turnstileToken"),
		429: error("too many chats from this address (Retry-After)"),
		503: error("the deployment's ceiling of chat starts per minute is reached (Retry-After)"),
	};
	const team = { name: "team", in: "query", required: true, schema: { type: "string" } };
	return {
		"/api/teams/{team}": {
			get: {
				summary: "What the pre-chat form shows of a team: its queues, whether it is open, whether a challenge is needed, and for a case token the case",
				parameters: [{ name: "team", in: "path", required: true, schema: { type: "string" } }, { name: "caseToken", in: "query", required: false, schema: { type: "string" } }],
				responses: { 200: json(TeamInfoSchema, "the team"), 404: error("no such team") },
			},
		},
		"/api/chats": {
			post: {
				summary: "A customer starts a chat: a case (or the case token's) and a session that waits for an agent from the start, offered by routing",
				requestBody: json(StartChatSchema, "the pre-chat form"),
				responses: { 201: json(ChatStartedSchema, "the customer's participant token, as a join gives it"), 409: error("the team is closed: leave a message instead"), 422: error("invalid body"), ...startRefusals },
			},
		},
		"/api/messages": {
			post: {
				summary: "Leave a message when nobody can chat: it becomes a case whose correspondence holds it; a receipt goes to the email given",
				requestBody: json(LeaveMessageSchema, "the form and the message"),
				responses: { 201: json(MessageLeftSchema, "the case, and how the customer hears back"), 422: error("invalid body"), ...startRefusals },
			},
		},
		"/api/chats/{sessionId}/place": {
			get: { ...customer, summary: "A waiting customer's place in the queue and estimated wait", parameters: [sessionIdParam], responses: { 200: json(PlaceSchema, "the place"), 401: error("not this chat's customer token") } },
		},
		"/api/chats/{sessionId}/leave-message": {
			post: {
				...customer,
				summary: "The waiting customer leaves a message instead: the chat ends and stays with the case",
				parameters: [sessionIdParam],
				requestBody: json(z.object({ text: z.string().optional() }), "a last message, if any"),
				responses: { 200: json(MessageLeftSchema, "the case"), 401: error("not this chat's customer token"), 404: error("not a chat started by a customer") },
			},
		},
		"/api/routing/me": {
			get: { ...agentOnly, summary: "The agent's routing profile: the teams and queues they take, their default capacity", responses: { 200: json(MyRoutingSchema, "the profile"), ...unauthorised } },
			post: {
				...agentOnly,
				summary: "Set availability (available, away) and capacity in every team of the profile",
				requestBody: json(SetAvailabilitySchema, "what changes"),
				responses: { 200: json(z.object({ teams: z.array(RoutingFrameSchema) }), "the agent as each team's router now has them"), ...unauthorised },
			},
		},
		"/api/routing/ws": {
			get: {
				...agentOnly,
				summary: "The console's socket to a team's router: routing frames (availability, load, offers) on connect and on change; while none is open the agent is offline",
				parameters: [team],
				responses: { 101: json(RoutingFrameSchema, "switching protocols; then routing frames"), 403: error("origin not allowed, or the profile takes no queue of the team"), 426: error("not a WebSocket upgrade"), ...unauthorised },
			},
		},
		"/api/routing/offers/{sessionId}/accept": {
			post: {
				...agentOnly,
				summary: "Accept an offered chat: the agent joins it as by picking it from the queue",
				parameters: [sessionIdParam],
				requestBody: json(z.object({ team: z.string() }), "the offer's team"),
				responses: { 200: json(JoinedSchema, "the agent's participant token"), 409: error("the offer expired or went to someone else"), ...unauthorised },
			},
		},
		"/api/routing/offers/{sessionId}/decline": {
			post: { ...agentOnly, summary: "Decline an offer: it goes to the next agent", parameters: [sessionIdParam], requestBody: json(z.object({ team: z.string() }), "the offer's team"), responses: { 200: { description: "declined" }, ...unauthorised } },
		},
	};
}
