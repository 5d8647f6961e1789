/**
 * Request and response bodies of the HTTP API. The routes validate with these, the OpenAPI
 * document is generated from them, and the clients use their types.
 */
import { z } from "zod";
import { SESSION_STATUSES, SEVERITIES } from "./protocol";

export const CASE_ID_PATTERN = /^case-\d{10}$/;
/** 16 random bytes in base64url. */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export const CaseIdSchema = z.string().regex(CASE_ID_PATTERN, "a case id is case- followed by 10 digits");
export const SessionIdSchema = z.string().regex(SESSION_ID_PATTERN, "not a session id");

export const CustomerContactSchema = z.strictObject({
	name: z.string().trim().min(1).max(120).optional(),
	email: z.email().max(254).optional(),
	phone: z
		.string()
		.regex(/^\+[1-9]\d{6,14}$/, "a phone number in E.164 form, like +4915112345678")
		.optional(),
});
export type CustomerContact = z.infer<typeof CustomerContactSchema>;

export const CreateCaseSchema = z.strictObject({
	subject: z.string().trim().min(1, "a subject is required").max(200),
	severity: z.enum(SEVERITIES).default("normal"),
	customer: CustomerContactSchema.default({}),
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
	session: z.object({ sessionId: z.string(), status: z.enum(SESSION_STATUSES) }).nullable(),
});
export type CaseRecord = z.infer<typeof CaseSchema>;

export const StartedSessionSchema = z.object({
	sessionId: SessionIdSchema,
	caseId: CaseIdSchema,
	/** Nine digits a person can read aloud, shown grouped as 123 456 789. */
	supportKey: z.string().regex(/^\d{9}$/),
	/** A direct link for the end-user; its token is a 128-bit secret, distinct from the support key. */
	inviteUrl: z.url(),
	expiresAt: z.number(),
});
export type StartedSession = z.infer<typeof StartedSessionSchema>;

/** A support key may be typed with spaces or dashes between the digit groups. */
export const JoinSchema = z.union([
	z.strictObject({
		supportKey: z
			.string()
			.transform((key) => key.replace(/[\s-]/g, ""))
			.pipe(z.string().regex(/^\d{9}$/, "a support key is 9 digits")),
	}),
	z.strictObject({ inviteToken: z.string().regex(/^[A-Za-z0-9_-]{44}$/, "not an invite token") }),
]);
export type JoinRequest = z.infer<typeof JoinSchema>;

export const JoinedSchema = z.object({
	sessionId: SessionIdSchema,
	caseId: CaseIdSchema,
	participantId: z.string(),
	role: z.enum(["agent", "customer"]),
	/** Signed, scoped to this session and role; passed as ?token= on the WebSocket URL. */
	token: z.string(),
	/** Where to open the WebSocket, relative to the site. */
	webSocketPath: z.string(),
	/** An invite link that lets the same person back in, on any device, while the chat lasts. */
	resumeUrl: z.url().nullable(),
});
export type Joined = z.infer<typeof JoinedSchema>;

export const ErrorSchema = z.object({ error: z.string(), issues: z.array(z.object({ path: z.string(), message: z.string() })).optional() });
export type ApiError = z.infer<typeof ErrorSchema>;
