/**
 * Configuration read from the Worker's environment, checked once per isolate. A deployment that
 * still carries the development secrets refuses to serve: DEV_MODE is set only in .dev.vars,
 * which `wrangler deploy` never uploads.
 */
import { z } from "zod";
import type { FileLimits } from "./files/limits";
import { FileEnvSchema, fileLimits } from "./files/limits";

export const DEV_AGENT_TOKEN = "dev-agent-token";
export const DEV_SIGNING_KEY = "dev-signing-key-do-not-use-in-production";

export interface Agent {
	name: string;
	token: string;
}

export interface Config {
	devMode: boolean;
	agents: Agent[];
	signingKey: string;
	allowedOrigins: string[];
	keyTtlMs: number;
	chatMaxMs: number;
	disconnectWaitMs: number;
	publicUrl: string | null;
	files: FileLimits;
}

export class ConfigError extends Error {}

const seconds = z.coerce.number().int().positive();

const EnvSchema = z.object({
	DEV_MODE: z.string().optional(),
	AGENT_TOKENS: z.string({ error: "AGENT_TOKENS is not set" }).min(1, "AGENT_TOKENS is not set"),
	TOKEN_SIGNING_KEY: z.string({ error: "TOKEN_SIGNING_KEY is not set" }).min(32, "TOKEN_SIGNING_KEY must be at least 32 characters"),
	ALLOWED_ORIGINS: z.string().default(""),
	KEY_TTL_SECONDS: seconds.default(3600),
	CHAT_MAX_SECONDS: seconds.default(90_000),
	DISCONNECT_WAIT_SECONDS: seconds.default(43_200),
	PUBLIC_URL: z.url().optional(),
}).extend(FileEnvSchema.shape);

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

let cached: { source: object; config: Config } | null = null;

export function readConfig(env: object): Config {
	if (cached?.source === env) return cached.config;
	const parsed = EnvSchema.safeParse(env);
	if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => i.message).join("; "));
	const e = parsed.data;
	const devMode = e.DEV_MODE === "true";
	const agents = parseAgents(e.AGENT_TOKENS);
	if (!devMode && (agents.some((a) => a.token === DEV_AGENT_TOKEN) || e.TOKEN_SIGNING_KEY === DEV_SIGNING_KEY)) {
		throw new ConfigError("this deployment uses the development agent token or signing key: set AGENT_TOKENS and TOKEN_SIGNING_KEY with `wrangler secret put`");
	}
	const config: Config = {
		devMode,
		agents,
		signingKey: e.TOKEN_SIGNING_KEY,
		allowedOrigins: e.ALLOWED_ORIGINS.split(",").map((o) => o.trim()).filter(Boolean),
		keyTtlMs: e.KEY_TTL_SECONDS * 1000,
		chatMaxMs: e.CHAT_MAX_SECONDS * 1000,
		disconnectWaitMs: e.DISCONNECT_WAIT_SECONDS * 1000,
		publicUrl: e.PUBLIC_URL ?? null,
		files: fileLimits(e),
	};
	cached = { source: env, config };
	return config;
}
