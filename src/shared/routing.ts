/**
 * Customer-started chats and routing, as the HTTP API and the routing socket carry them: the
 * pre-chat form's request, what a customer sees while waiting, and what an agent's console hears
 * of their availability and offers. The pages bundle this module.
 */
import * as z from "zod/mini";
import { parseJsonAs } from "./json";
import { EmailAddressSchema, JoinedSchema } from "./api";
import { textChecks } from "./text";

export const AVAILABILITIES = ["available", "away", "offline"] as const;
export type Availability = (typeof AVAILABILITIES)[number];

const id = z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "an id of lowercase letters, digits and dashes"));
const personName = z.string().check(...textChecks("line"), z.trim(), z.minLength(1, "a name is required"), z.maxLength(120));
const turnstileToken = z.optional(z.string().check(z.minLength(1), z.maxLength(2048)));

/** The pre-chat form. `caseToken`: from the business's backend, to chat about a case that exists (README "Chat for a case"). */
export const StartChatSchema = z.strictObject({
	team: id,
	queue: id,
	name: personName,
	email: z.optional(EmailAddressSchema),
	topic: z.optional(z.string().check(...textChecks("line"), z.trim(), z.maxLength(200))),
	caseToken: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
	turnstileToken,
});
export type StartChat = z.infer<typeof StartChatSchema>;

/** A message left when nobody can chat: the same form, and what the customer wants to say. */
export const LeaveMessageSchema = z.extend(StartChatSchema, {
	text: z.string().check(...textChecks("paragraph"), z.trim(), z.minLength(1, "a message is required"), z.maxLength(4000)),
});
export type LeaveMessage = z.infer<typeof LeaveMessageSchema>;

/** A started chat: the customer is in it, as by an invite link, and it waits for an agent. */
export const ChatStartedSchema = z.extend(JoinedSchema, { team: z.string(), queue: z.string() });
export type ChatStarted = z.infer<typeof ChatStartedSchema>;

/** A left message became a case; `replyBy` says how the customer hears back. */
export const MessageLeftSchema = z.object({ caseId: z.string(), replyBy: z.enum(["email", "none"]) });
export type MessageLeft = z.infer<typeof MessageLeftSchema>;

/** What the pre-chat form shows of a team before anyone starts. */
export const TeamInfoSchema = z.object({
	id: z.string(),
	name: z.string(),
	queues: z.array(z.object({ id: z.string(), name: z.string() })),
	open: z.boolean(),
	/** Epoch ms; null when open, or not opening in the next two weeks. */
	opensAt: z.nullable(z.number()),
	/** Set when starting needs a Turnstile challenge. */
	turnstileSiteKey: z.nullable(z.string()),
	/** For a case link: the case the chat will be about. */
	case: z.nullable(z.object({ caseId: z.string(), subject: z.string() })),
});
export type TeamInfo = z.infer<typeof TeamInfoSchema>;

/** A waiting customer's place, as GET /api/chats/{sessionId}/place answers it. */
export const PlaceSchema = z.object({
	/** 1 is next; null once an agent has the chat. */
	position: z.nullable(z.number()),
	estimatedWaitMs: z.nullable(z.number()),
	/** The team is closed, or no agent has been available for the team's configured time: the customer may leave a message. */
	nobodyThere: z.boolean(),
});
export type Place = z.infer<typeof PlaceSchema>;

/** A chat offered to an agent, to accept before `expiresAt`. */
export const OfferSchema = z.object({
	sessionId: z.string(),
	caseId: z.string(),
	team: z.string(),
	queue: z.string(),
	customerName: z.string(),
	subject: z.string(),
	expiresAt: z.number(),
});
export type Offer = z.infer<typeof OfferSchema>;

/** What a team's router sends an agent's console on connect and on every change that is theirs. */
export const RoutingFrameSchema = z.object({
	type: z.literal("routing"),
	team: z.string(),
	availability: z.enum(AVAILABILITIES),
	capacity: z.number(),
	/** Chats the agent has from this team, and offers waiting for them. */
	load: z.number(),
	offers: z.array(OfferSchema),
});
export type RoutingFrame = z.infer<typeof RoutingFrameSchema>;

export function parseRoutingFrame(raw: string): RoutingFrame | null {
	return parseJsonAs(RoutingFrameSchema, raw);
}

/** An agent sets their availability (available or away; offline is having no console open) and capacity. */
export const SetAvailabilitySchema = z.strictObject({
	availability: z.optional(z.enum(["available", "away"])),
	capacity: z.optional(z.int().check(z.minimum(1), z.maximum(20))),
});
export type SetAvailability = z.infer<typeof SetAvailabilitySchema>;

/** GET /api/routing/me: the teams the agent's routing profile takes chats from. */
export const MyRoutingSchema = z.object({
	agent: z.string(),
	teams: z.array(z.object({ id: z.string(), name: z.string() })),
	queues: z.array(z.string()),
	capacity: z.number(),
});
export type MyRouting = z.infer<typeof MyRoutingSchema>;
