/**
 * Request and response bodies of the HTTP API. The routes validate with these, the OpenAPI
 * document is generated from them, and the clients use their types.
 */
// zod/mini, imported as in protocol.ts: the browser pages parse responses with these schemas.
import * as z from "zod/mini";
import { SESSION_STATUSES, SEVERITIES } from "./protocol";
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
	z.strictObject({ inviteToken: z.string().check(z.regex(INVITE_TOKEN_PATTERN, "not an invite token")) }),
]);
export type JoinRequest = z.infer<typeof JoinSchema>;

export const JoinedSchema = z.object({
	sessionId: SessionIdSchema,
	caseId: CaseIdSchema,
	participantId: z.string(),
	role: z.enum(["agent", "customer"]),
	/** Signed, scoped to this session and role; offered as a subprotocol when opening the WebSocket (socket-auth.ts). */
	token: z.string(),
	/** Where to open the WebSocket, relative to the site. */
	webSocketPath: z.string(),
	/** An invite link that lets the same person back in, on any device, while the chat lasts. */
	resumeUrl: z.nullable(z.url()),
});
export type Joined = z.infer<typeof JoinedSchema>;

export const InviteSchema = z.discriminatedUnion("channel", [
	z.strictObject({ channel: z.literal("sms"), to: PhoneSchema }),
	z.strictObject({ channel: z.literal("email"), to: EmailAddressSchema }),
]);
export type InviteRequest = z.infer<typeof InviteSchema>;

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
