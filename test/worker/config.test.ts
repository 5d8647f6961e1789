import { describe, expect, it } from "vitest";
import { ConfigError, DEV_AGENT_TOKEN, DEV_SIGNING_KEY, readConfig } from "../../src/config";

const production = { AGENT_TOKENS: "alice:a-long-production-token", TOKEN_SIGNING_KEY: "k".repeat(48) };

describe("configuration", () => {
	it("refuses to run a deployment with the development agent token or signing key", () => {
		expect(() => readConfig({ ...production, AGENT_TOKENS: `alice:${DEV_AGENT_TOKEN}` })).toThrow(ConfigError);
		expect(() => readConfig({ ...production, TOKEN_SIGNING_KEY: DEV_SIGNING_KEY })).toThrow(/wrangler secret put/);
	});

	it("accepts the development values only in dev mode", () => {
		const config = readConfig({ DEV_MODE: "true", AGENT_TOKENS: `dev-agent:${DEV_AGENT_TOKEN}`, TOKEN_SIGNING_KEY: DEV_SIGNING_KEY });
		expect(config.agents).toEqual([{ name: "dev-agent", token: DEV_AGENT_TOKEN }]);
	});

	it("names what is missing or malformed", () => {
		expect(() => readConfig({ TOKEN_SIGNING_KEY: "k".repeat(48) })).toThrow("AGENT_TOKENS is not set");
		expect(() => readConfig({ ...production, TOKEN_SIGNING_KEY: "short" })).toThrow("at least 32 characters");
		expect(() => readConfig({ ...production, AGENT_TOKENS: "alice" })).toThrow("name:token pairs");
	});

	it("reads limits and origins", () => {
		const config = readConfig({ ...production, KEY_TTL_SECONDS: "120", ALLOWED_ORIGINS: "https://a.example, https://b.example" });
		expect(config.keyTtlMs).toBe(120_000);
		expect(config.chatMaxMs).toBe(90_000_000);
		expect(config.allowedOrigins).toEqual(["https://a.example", "https://b.example"]);
	});
});
