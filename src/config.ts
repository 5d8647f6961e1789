/**
 * Configuration read from the Worker's environment, checked once per isolate. A deployment that
 * still carries the development secrets refuses to serve: DEV_MODE is set only in .dev.vars,
 * which `wrangler deploy` never uploads.
 *
 * Each kind of signed credential has its own key, so that one can be rotated without the others:
 * rotating the agent-session key signs every agent out and leaves chats and links alone. A key
 * setting is a comma-separated list, newest first: the first signs, all verify, so a rotation
 * lists the new key before the old one until what the old one signed has run out.
 */
import { z } from "zod";
import { MAX_SHARDS } from "./directory/shards";
import type { FileLimits } from "./files/limits";
import { FileEnvSchema, fileLimits } from "./files/limits";
import type { Routing } from "./routing/routing-config";
import { parseRouting } from "./routing/routing-config";
import type { RecordingMode } from "./shared/protocol";
import { RECORDING_MODES } from "./shared/protocol";

export const DEV_AGENT_TOKEN = "dev-agent-token";
/** The development keys in .dev.vars, one per purpose. */
export const DEV_KEYS = {
	participantTokens: "dev-participant-token-key-not-for-production",
	agentSessions: "dev-agent-session-key-not-for-production",
	inviteLinks: "dev-invite-link-key-not-for-production",
} as const;
export type KeyPurpose = keyof typeof DEV_KEYS;
/** Turnstile's documented test secrets (always passes, always fails, token already spent). */
const TURNSTILE_TEST_SECRET = /^[123]x0{31}AA$/;
/** Agent tokens outside development: long enough to carry 128 bits when random (base64: 22 characters). */
const PRODUCTION_AGENT_TOKEN_CHARS = 32;

export interface Agent {
	name: string;
	token: string;
}

export interface Config {
	devMode: boolean;
	agents: Agent[];
	/** Per purpose, newest first. */
	keys: Record<KeyPurpose, KeyList>;
	allowedOrigins: string[];
	keyTtlMs: number;
	chatMaxMs: number;
	disconnectWaitMs: number;
	publicUrl: string | null;
	files: FileLimits;
	/** Wrong support keys per minute, across the deployment, past which a key join needs a Turnstile challenge. */
	wrongKeyBudgetPerMinute: number;
	/** Null until both keys are set: past the budget, key joins are then refused (503). */
	turnstile: TurnstileSettings | null;
	/** How many case directory objects share the cases and keys (src/directory/shards.ts). */
	directoryShards: number;
	/** Teams, queues, hours and routing profiles for chats customers start (routing/routing-config.ts). */
	routing: Routing;
	/** Origins whose pages may frame the customer chat (the website widget). */
	widgetOrigins: string[];
	chatStarts: { perAddressPerHour: number; perMinute: number };
	/** Keys the business's backend signs customer case tokens with (security/case-token.ts); null: case links are off. */
	caseTokenKeys: KeyList | null;
	/** What agents see of messages written before they joined (protocol.ts, RECORDING_MODES). */
	recording: RecordingMode;
}

export interface TurnstileSettings {
	siteKey: string;
	secretKey: string;
	/** Cloudflare's siteverify; the tests point it at a server on loopback. */
	verifyUrl: string;
}

export class ConfigError extends Error {}

const seconds = z.coerce.number().int().positive();

/** Newest first; never empty. */
export type KeyList = readonly [string, ...string[]];

function keyList(name: string) {
	const key = z.string().min(32, `${name} must be keys of at least 32 characters, comma-separated`);
	return z
		.string({ error: `${name} is not set` })
		.transform((list) => list.split(",").map((k) => k.trim()))
		.pipe(z.tuple([key], key));
}

const EnvSchema = z.object({
	DEV_MODE: z.string().optional(),
	AGENT_TOKENS: z.string({ error: "AGENT_TOKENS is not set" }).min(1, "AGENT_TOKENS is not set"),
	PARTICIPANT_TOKEN_KEYS: keyList("PARTICIPANT_TOKEN_KEYS"),
	AGENT_SESSION_KEYS: keyList("AGENT_SESSION_KEYS"),
	INVITE_LINK_KEYS: keyList("INVITE_LINK_KEYS"),
	ALLOWED_ORIGINS: z.string().default(""),
	KEY_TTL_SECONDS: seconds.default(3600),
	CHAT_MAX_SECONDS: seconds.default(90_000),
	DISCONNECT_WAIT_SECONDS: seconds.default(43_200),
	PUBLIC_URL: z.url().optional(),
	WRONG_KEY_BUDGET_PER_MINUTE: z.coerce.number().int().positive().default(100),
	TURNSTILE_SITE_KEY: z.string().default(""),
	TURNSTILE_SECRET_KEY: z.string().default(""),
	TURNSTILE_VERIFY_URL: z.url().default("https://challenges.cloudflare.com/turnstile/v0/siteverify"),
	DIRECTORY_SHARDS: z.coerce.number().int().min(1, "DIRECTORY_SHARDS must be at least 1").max(MAX_SHARDS, `DIRECTORY_SHARDS must be at most ${MAX_SHARDS}`).default(1),
	ROUTING: z.string().default(""),
	WIDGET_ORIGINS: z.string().default(""),
	CHAT_STARTS_PER_ADDRESS_PER_HOUR: z.coerce.number().int().positive().default(10),
	CHAT_STARTS_PER_MINUTE: z.coerce.number().int().positive().default(120),
	CASE_TOKEN_KEYS: keyList("CASE_TOKEN_KEYS").optional(),
	PRE_JOIN_MESSAGES: z.enum(RECORDING_MODES, { error: "PRE_JOIN_MESSAGES must be show or strict" }).default("show"),
}).extend(FileEnvSchema.shape);

/** The development key for case tokens in .dev.vars; refused outside development like the others. */
export const DEV_CASE_TOKEN_KEY = "dev-case-token-key-not-for-production";

/** `name:token` pairs, comma-separated; tokens must be long enough not to be guessed. */
function parseAgents(list: string): Agent[] {
	return list.split(",").map((entry) => {
		const at = entry.lastIndexOf(":");
		const name = entry.slice(0, at).trim();
		const token = entry.slice(at + 1).trim();
		if (at <= 0 || !name || token.length < 12) {
			throw new ConfigError("AGENT_TOKENS must be name:token pairs, comma-separated, tokens of at least 12 characters");
		}
		return { name, token };
	});
}

/**
 * Each environment's config, read once. The Worker and every Durable Object class each have an
 * env object of their own, and one request passes through several: a single cached entry was read
 * anew (zod, the agents, the routing JSON) at almost every call.
 */
const cached = new WeakMap<object, Config>();

export function readConfig(env: object): Config {
	const known = cached.get(env);
	if (known) return known;
	const parsed = EnvSchema.safeParse(env);
	if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => i.message).join("; "));
	const e = parsed.data;
	const devMode = e.DEV_MODE === "true";
	const agents = parseAgents(e.AGENT_TOKENS);
	const routing = parseRouting(e.ROUTING);
	if (typeof routing === "string") throw new ConfigError(routing);
	const widgetOrigins = e.WIDGET_ORIGINS.split(",").map((o) => o.trim()).filter(Boolean);
	if (widgetOrigins.some((o) => !/^https?:\/\/[^/\s;,']+$/.test(o))) throw new ConfigError("WIDGET_ORIGINS must be origins like https://www.example.com, comma-separated");
	const keys: Record<KeyPurpose, KeyList> = {
		participantTokens: e.PARTICIPANT_TOKEN_KEYS,
		agentSessions: e.AGENT_SESSION_KEYS,
		inviteLinks: e.INVITE_LINK_KEYS,
	};
	if (!devMode) {
		const devKeys: string[] = Object.values(DEV_KEYS);
		if (agents.some((a) => a.token === DEV_AGENT_TOKEN) || Object.values(keys).some((list) => list.some((key) => devKeys.includes(key)))) {
			throw new ConfigError("this deployment uses the development agent token or signing keys: set AGENT_TOKENS and the *_KEYS secrets with `wrangler secret put`");
		}
		if (e.CASE_TOKEN_KEYS?.includes(DEV_CASE_TOKEN_KEY)) {
			throw new ConfigError("this deployment uses the development case token key: set CASE_TOKEN_KEYS with `wrangler secret put`");
		}
		if (TURNSTILE_TEST_SECRET.test(e.TURNSTILE_SECRET_KEY)) {
			throw new ConfigError("this deployment uses a Turnstile test secret: set TURNSTILE_SECRET_KEY with `wrangler secret put`");
		}
		if (agents.some((a) => a.token.length < PRODUCTION_AGENT_TOKEN_CHARS)) {
			throw new ConfigError(`agent tokens must be at least ${PRODUCTION_AGENT_TOKEN_CHARS} characters outside development (e.g. openssl rand -base64 32)`);
		}
	}
	const config: Config = {
		devMode,
		agents,
		keys,
		allowedOrigins: e.ALLOWED_ORIGINS.split(",").map((o) => o.trim()).filter(Boolean),
		keyTtlMs: e.KEY_TTL_SECONDS * 1000,
		chatMaxMs: e.CHAT_MAX_SECONDS * 1000,
		disconnectWaitMs: e.DISCONNECT_WAIT_SECONDS * 1000,
		publicUrl: e.PUBLIC_URL ?? null,
		files: fileLimits(e),
		wrongKeyBudgetPerMinute: e.WRONG_KEY_BUDGET_PER_MINUTE,
		turnstile: e.TURNSTILE_SITE_KEY && e.TURNSTILE_SECRET_KEY ? { siteKey: e.TURNSTILE_SITE_KEY, secretKey: e.TURNSTILE_SECRET_KEY, verifyUrl: e.TURNSTILE_VERIFY_URL } : null,
		directoryShards: e.DIRECTORY_SHARDS,
		routing,
		widgetOrigins,
		chatStarts: { perAddressPerHour: e.CHAT_STARTS_PER_ADDRESS_PER_HOUR, perMinute: e.CHAT_STARTS_PER_MINUTE },
		caseTokenKeys: e.CASE_TOKEN_KEYS ?? null,
		recording: e.PRE_JOIN_MESSAGES,
	};
	cached.set(env, config);
	return config;
}
