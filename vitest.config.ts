import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// The Worker's tests run inside workerd, against the real Worker, Durable Objects and R2.
export default defineConfig({
	plugins: [cloudflareTest({ wrangler: { configPath: "./wrangler.toml" } })],
	test: { include: ["test/worker/**/*.test.ts"], testTimeout: 15_000 },
});
