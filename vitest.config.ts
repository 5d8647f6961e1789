import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// The Worker's tests run inside workerd, against the real Worker, Durable Objects and R2.
export default defineConfig({
	plugins: [
		cloudflareTest({
			wrangler: { configPath: "./wrangler.toml" },
			// .dev.vars' agent and a colleague, so that tests can put two agents in one chat; a session's
			// files limited to 30 MiB, so that the total is reached by announcing files, not sending them.
			miniflare: { bindings: { AGENT_TOKENS: "dev-agent:dev-agent-token,colleague:colleague-token-1234", FILE_SESSION_MAX_BYTES: String(30 * 1024 * 1024) } },
		}),
	],
	test: {
		include: ["test/worker/**/*.test.ts"],
		testTimeout: 15_000,
		// The Worker logs a JSON line per request (src/logging); thousands of generated requests would bury the report.
		onConsoleLog: (log) => !log.startsWith('{"level":"info","event":"request"'),
	},
});
