import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// The case directory split into four shards and a queue object (src/directory/shards.ts): the
// tests of cases, keys, the queue and resolving run again against it, with the shards' own test.
// (api.test.ts counts an address's wrong keys against the whole limit of 10, one shard's case.)
export default defineConfig({
	plugins: [
		cloudflareTest({
			wrangler: { configPath: "./wrangler.toml" },
			miniflare: { bindings: { AGENT_TOKENS: "dev-agent:dev-agent-token,colleague:colleague-token-1234", DIRECTORY_SHARDS: "4" } },
		}),
	],
	test: {
		include: ["test/worker/directory-shards.test.ts", "test/worker/case-sessions.test.ts", "test/worker/queue.test.ts", "test/worker/resolve.test.ts", "test/worker/transfer.test.ts", "test/worker/case-history.test.ts"],
		testTimeout: 15_000,
		onConsoleLog: (log) => !log.startsWith('{"level":"info","event":"request"'),
	},
});
