import { describe, expect, it } from "vitest";
import { ConfigError, DEV_AGENT_TOKEN, DEV_KEYS, readConfig } from "../../src/config";

const production = {
	AGENT_TOKENS: "alice:a-production-token-of-32-characters",
	PARTICIPANT_TOKEN_KEYS: "p".repeat(48),
	AGENT_SESSION_KEYS: "a".repeat(48),
	INVITE_LINK_KEYS: "i".repeat(48),
};
const devKeys = { PARTICIPANT_TOKEN_KEYS: DEV_KEYS.participantTokens, AGENT_SESSION_KEYS: DEV_KEYS.agentSessions, INVITE_LINK_KEYS: DEV_KEYS.inviteLinks };

describe("configuration", () => {
	it("refuses to run a deployment with the development agent token or signing key", () => {
		expect(() => readConfig({ ...production, AGENT_TOKENS: `alice:${DEV_AGENT_TOKEN}` })).toThrow(ConfigError);
		expect(() => readConfig({ ...production, AGENT_SESSION_KEYS: DEV_KEYS.agentSessions })).toThrow(/wrangler secret put/);
		// A development key listed as the old one of a rotation is refused too.
		expect(() => readConfig({ ...production, INVITE_LINK_KEYS: `${"n".repeat(48)},${DEV_KEYS.inviteLinks}` })).toThrow(/wrangler secret put/);
	});

	it("accepts the development values only in dev mode", () => {
		const config = readConfig({ DEV_MODE: "true", AGENT_TOKENS: `dev-agent:${DEV_AGENT_TOKEN}`, ...devKeys });
		expect(config.agents).toEqual([{ name: "dev-agent", token: DEV_AGENT_TOKEN }]);
	});

	it("names what is missing or malformed", () => {
		expect(() => readConfig({ ...production, AGENT_TOKENS: undefined })).toThrow("AGENT_TOKENS is not set");
		expect(() => readConfig({ ...production, PARTICIPANT_TOKEN_KEYS: "short" })).toThrow("at least 32 characters");
		expect(() => readConfig({ ...production, INVITE_LINK_KEYS: undefined })).toThrow("INVITE_LINK_KEYS is not set");
		expect(() => readConfig({ ...production, AGENT_TOKENS: "alice" })).toThrow("name:token pairs");
	});

	it("is read once per environment, though the Worker and each object class come with an env of their own", () => {
		const worker = { ...production };
		const session = { ...production };
		const first = readConfig(worker);
		// One request passes through the Worker, a session, the directory: each asks with its own env.
		expect(readConfig(session)).not.toBe(first);
		expect(readConfig(worker)).toBe(first);
		expect(readConfig(session)).toBe(readConfig(session));
	});

	it("reads limits and origins", () => {
		const config = readConfig({ ...production, KEY_TTL_SECONDS: "120", ALLOWED_ORIGINS: "https://a.example, https://b.example" });
		expect(config.keyTtlMs).toBe(120_000);
		expect(config.chatMaxMs).toBe(90_000_000);
		expect(config.allowedOrigins).toEqual(["https://a.example", "https://b.example"]);
	});
});

describe("signing keys", () => {
	it("are one list per purpose, newest first, so that each rotates alone", () => {
		const config = readConfig({ ...production, AGENT_SESSION_KEYS: `${"b".repeat(40)}, ${"a".repeat(48)}` });
		expect(config.keys).toEqual({ participantTokens: ["p".repeat(48)], agentSessions: ["b".repeat(40), "a".repeat(48)], inviteLinks: ["i".repeat(48)] });
	});

	it("go with agent tokens long enough not to be guessed outside development", () => {
		expect(() => readConfig({ ...production, AGENT_TOKENS: "alice:only-twenty-characters" })).toThrow("at least 32 characters");
	});
});

describe("Turnstile", () => {
	it("is off until both keys are set, and never runs on a test secret outside development", () => {
		expect(readConfig(production).turnstile).toBeNull();
		const keys = { TURNSTILE_SITE_KEY: "0x4AAAAAAAsite", TURNSTILE_SECRET_KEY: "0x4AAAAAAAsecret" };
		expect(readConfig({ ...production, ...keys }).turnstile).toMatchObject({ siteKey: "0x4AAAAAAAsite", verifyUrl: "https://challenges.cloudflare.com/turnstile/v0/siteverify" });
		expect(() => readConfig({ ...production, ...keys, TURNSTILE_SECRET_KEY: "1x0000000000000000000000000000000AA" })).toThrow(/Turnstile test secret/);
	});
});
