/**
 * Request and response bodies of the HTTP API. The routes validate with these, the OpenAPI
 * document is generated from them, and the clients use their types.
 */
// zod/mini, imported as in protocol.ts: the browser pages parse responses with these schemas.
import * as z from "zod/mini";
import { ROLES, SESSION_STATUSES, SEVERITIES } from "./protocol";
import { textChecks } from "./text";

export const CASE_ID_PATTERN = /^case-\d{10}$/;
/** 16 random bytes in base64url. */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;
/** The session id, its invite secret and a MAC over both (security/invite-token.ts). */
export const INVITE_TOKEN_PATTERN = /^[A-Za-z0-9_-]{66}$/;

export const CaseIdSchema = z.string().check(z.regex(CASE_ID_PATTERN, "a case id is case- followed by 10 digits"));
export const SessionIdSchema = z.string().check(z.regex(SESSION_ID_PATTERN, "not a session id"));

export const PhoneSchema = z.string().check(z.regex(/^\+[1-9]\d{6,14}$/, "a phone number in E.164 form, like +4915112345678"));
export const EmailAddressSchema = z.email("an email address, like user@example.com").check(z.maxLength(254));

export const CustomerContactSchema = z.strictObject({
	name: z.optional(z.string().check(...textChecks("line"), z.trim(), z.minLength(1), z.maxLength(120))),
	email: z.optional(EmailAddressSchema),
	phone: z.optional(PhoneSchema),
});
export type CustomerContact = z.infer<typeof CustomerContactSchema>;

export const CreateCaseSchema = z.strictObject({
	subject: z.string().check(...textChecks("line"), z.trim(), z.minLength(1, "a subject is required"), z.maxLength(200)),
	severity: z._default(z.enum(SEVERITIES), "normal"),
	customer: z._default(CustomerContactSchema, {}),
});
export type CreateCase = z.infer<typeof CreateCaseSchema>;

export const CASE_STATUSES = ["open", "resolved"] as const;

export const CaseSchema = z.object({
	caseId: CaseIdSchema,
	subject: z.string(),
	severity: z.enum(SEVERITIES),
	status: z.enum(CASE_STATUSES),
	customer: CustomerContactSchema,
	createdAt: z.number(),
	createdBy: z.string(),
	lastActivityAt: z.number(),
	/** The newest chat session of the case and its status, if any. */
	session: z.nullable(z.object({ sessionId: z.string(), status: z.enum(SESSION_STATUSES) })),
});
export type CaseRecord = z.infer<typeof CaseSchema>;

export const StartedSessionSchema = z.object({
	sessionId: SessionIdSchema,
	caseId: CaseIdSchema,
	/** Nine digits a person can read aloud, shown grouped as 123 456 789. */
	supportKey: z.string().check(z.regex(/^\d{9}$/)),
	/** A direct link for the end-user; its token is a 128-bit secret, distinct from the support key. */
	inviteUrl: z.url(),
	expiresAt: z.number(),
	/** Earlier sessions of the case whose unused keys this one replaced: they no longer start a chat. */
	replacedSessions: z.optional(z.array(SessionIdSchema)),
});
export type StartedSession = z.infer<typeof StartedSessionSchema>;

/** An invite link's token, as the link carries it (its MAC is the Worker's to check). */
export const InviteTokenSchema = z.string().check(z.regex(INVITE_TOKEN_PATTERN, "not an invite token"));

/** A support key may be typed with spaces or dashes between the digit groups. */
export const JoinSchema = z.union([
	z.strictObject({
		/** Needed once the deployment's budget of wrong keys is spent: the answer then says so with 428. */
		turnstileToken: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
		supportKey: z.pipe(
			z.pipe(
				z.string(),
				z.transform((key: string) => key.replace(/[\s-]/g, "")),
			),
			z.string().check(z.regex(/^\d{9}$/, "a support key is 9 digits")),
		),
	}),
	z.strictObject({ inviteToken: InviteTokenSchema }),
]);
export type JoinRequest = z.infer<typeof JoinSchema>;

export const JoinedSchema = z.object({
	sessionId: SessionIdSchema,
	caseId: CaseIdSchema,
	participantId: z.string(),
	role: z.enum(ROLES),
	/** Signed, scoped to this session and role; offered as a subprotocol when opening the WebSocket (socket-auth.ts). */
	token: z.string(),
	/** Where to open the WebSocket, relative to the site. */
	webSocketPath: z.string(),
	/** An invite link that lets the same person back in, on any device, while the chat lasts. */
	resumeUrl: z.nullable(z.url()),
});
export type Joined = z.infer<typeof JoinedSchema>;

/** Whom an invite is for when not the customer: a colleague of theirs or a specialist, who gets a link of their own (README, "Members and links"). */
const InviteeSchema = z.strictObject({
	role: z.enum(["member", "specialist"]),
	name: z.string().check(...textChecks("line"), z.trim(), z.minLength(1, "the name of whoever you invite is required"), z.maxLength(120)),
});

export const InviteSchema = z.discriminatedUnion("channel", [
	z.strictObject({ channel: z.literal("sms"), to: PhoneSchema, invitee: z.optional(InviteeSchema) }),
	z.strictObject({ channel: z.literal("email"), to: EmailAddressSchema, invitee: z.optional(InviteeSchema) }),
]);
export type InviteRequest = z.infer<typeof InviteSchema>;
export type Invitee = z.infer<typeof InviteeSchema>;

export const InviteSentSchema = z.object({
	channel: z.enum(["sms", "email"]),
	/** The recipient, masked as the session records it. */
	to: z.string(),
	sentAt: z.number(),
	detail: z.string(),
});
export type InviteSent = z.infer<typeof InviteSentSchema>;

/** A reissued invite link: the old one no longer works. */
export const ReissuedLinkSchema = z.object({ inviteUrl: z.url() });
export type ReissuedLink = z.infer<typeof ReissuedLinkSchema>;

/** Which invite channels this deployment can send on; for each one that cannot, the settings it lacks. */
export const InviteChannelsSchema = z.object({ sms: z.object({ missing: z.array(z.string()) }), email: z.object({ missing: z.array(z.string()) }) });
export type InviteChannels = z.infer<typeof InviteChannelsSchema>;

/** The console signs in with an agent token once and gets a session cookie in exchange. */
export const SignInSchema = z.strictObject({ token: z.string().check(z.minLength(1, "an agent token is required"), z.maxLength(512)) });
export type SignIn = z.infer<typeof SignInSchema>;

export const SignedInSchema = z.object({ agent: z.string() });
export type SignedIn = z.infer<typeof SignedInSchema>;

/** 428 from a key join while the deployment is over its budget of wrong keys: solve this Turnstile challenge first. */
export const ChallengeSchema = z.object({ error: z.string(), turnstileSiteKey: z.string() });
export type Challenge = z.infer<typeof ChallengeSchema>;

export const ErrorSchema = z.object({ error: z.string(), issues: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))) });
export type ApiError = z.infer<typeof ErrorSchema>;

// ---- members and links (README, "Members and links") ----------------------------------------

/** A link for someone new (a colleague of the customer's, a specialist), named by whoever invites them; or one to continue on another device. */
export const MakeLinkSchema = z.discriminatedUnion("kind", [
	z.strictObject({
		kind: z.literal("invite"),
		role: z.enum(["member", "specialist"]),
		name: z.string().check(...textChecks("line"), z.trim(), z.minLength(1, "the name of whoever you invite is required"), z.maxLength(120)),
	}),
	z.strictObject({ kind: z.literal("device") }),
]);
export type MakeLink = z.infer<typeof MakeLinkSchema>;

export const LINK_STATES = ["live", "revoked", "expired"] as const;

export const LinkViewSchema = z.object({
	linkId: z.string(),
	kind: z.enum(["invite", "device"]),
	/** Whom it lets in. */
	participantId: z.string(),
	role: z.enum(ROLES),
	name: z.string(),
	/** The participant id of whoever made it. */
	madeBy: z.string(),
	createdAt: z.number(),
	expiresAt: z.number(),
	state: z.enum(LINK_STATES),
	/** Whether the asker may revoke it. */
	revocable: z.boolean(),
});
export type LinkView = z.infer<typeof LinkViewSchema>;

/** A link just made: its address is shown this once (the session keeps only a hash of its secret). */
export const LinkMadeSchema = z.object({ link: LinkViewSchema, url: z.url() });
export type LinkMade = z.infer<typeof LinkMadeSchema>;

export const PersonViewSchema = z.object({
	id: z.string(),
	role: z.enum(ROLES),
	name: z.string(),
	present: z.boolean(),
	online: z.boolean(),
	/** Since when `online` is as it is, if known; idle is worked out from `lastActiveAt` (presence.ts). */
	since: z.nullable(z.number()),
	lastActiveAt: z.nullable(z.number()),
	removed: z.boolean(),
	/** Whether the asker may remove them. */
	removable: z.boolean(),
	/** Their devices still let in, and the link each came by. */
	devices: z.array(z.object({ deviceId: z.string(), via: z.enum(["key", "link", "console"]), since: z.number(), linkId: z.nullable(z.string()), online: z.boolean() })),
});
export type PersonView = z.infer<typeof PersonViewSchema>;

/** "Devices and people in this chat": everyone, their devices, and the links handed out (but the customer's invite link). */
export const PeopleSchema = z.object({ people: z.array(PersonViewSchema), links: z.array(LinkViewSchema) });
export type People = z.infer<typeof PeopleSchema>;
