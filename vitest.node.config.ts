import { defineConfig } from "vitest/config";

// Tests that run in Node: pure units of the session (test/unit), and against `wrangler dev` the
// typed client and the pages in Chromium.
export default defineConfig({
	test: { include: ["test/unit/**/*.test.ts", "test/node/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 90_000, fileParallelism: false },
});
