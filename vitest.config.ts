import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// The Worker's tests run inside workerd, against the real Worker, Durable Objects and R2.
export default defineConfig({
	plugins: [
		cloudflareTest({
			wrangler: { configPath: "./wrangler.toml" },
			// .dev.vars' agent and a colleague, so that tests can put two agents in one chat.
			miniflare: { bindings: { AGENT_TOKENS: "dev-agent:dev-agent-token,colleague:colleague-token-1234" } },
		}),
	],
	test: {
		include: ["test/worker/**/*.test.ts"],
		testTimeout: 15_000,
		// The Worker logs a JSON line per request (src/logging); thousands of generated requests would bury the report.
		onConsoleLog: (log) => !log.startsWith('{"level":"info","event":"request"'),
	},
});
