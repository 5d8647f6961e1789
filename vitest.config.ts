import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { startFakeTurnstile } from "./test/support/fake-turnstile";

// Teams for the routing tests: each test has a team (and so a router object) of its own; "closed"
// is never open. Offers time out after 30 seconds, which the tests pass by moving the router's clock.
// Both agents take every queue of these.
const WHOLE_TEAMS = [
	// First, so that the agents' "*" profiles make it the home of the chats they start with a support key.
	{ id: "desk", name: "Front desk", queues: [{ id: "general", name: "General" }], offerSeconds: 30, noAgentWaitSeconds: 60 },
	...["offers", "timeouts", "capacity", "away", "returning", "limits", "pages", "places", "picks"].map((id) => ({ id, name: `Team ${id}`, queues: [{ id: "general", name: "General" }, { id: "billing", name: "Billing" }], offerSeconds: 30, noAgentWaitSeconds: 60 })),
	{ id: "closed", name: "Night shift", queues: [{ id: "general", name: "General" }], hours: { timeZone: "UTC", weekly: {} } },
];
// Routing profiles (routing-profiles.test.ts): the colleague takes only the billing queue of
// "profiles" and nothing of "second-line"; dev-agent (the default profile, "*") takes both whole.
const TEST_ROUTING = {
	teams: [
		...WHOLE_TEAMS,
		{ id: "profiles", name: "Team profiles", queues: [{ id: "general", name: "General" }, { id: "billing", name: "Billing" }], offerSeconds: 30, noAgentWaitSeconds: 60 },
		{ id: "second-line", name: "Second line", queues: [{ id: "general", name: "General" }], offerSeconds: 30, noAgentWaitSeconds: 60 },
	],
	profiles: { colleague: { queues: [...WHOLE_TEAMS.map((team) => `${team.id}/*`), "profiles/billing"], capacity: 1 } },
};

// The Worker's tests run inside workerd, against the real Worker, Durable Objects and R2.
export default defineConfig(async () => {
	// Siteverify, on loopback: the chat starts' challenge is checked against a real HTTP server.
	const turnstile = await startFakeTurnstile();
	turnstile.unref();
	return {
		plugins: [
			cloudflareTest({
				wrangler: { configPath: "./wrangler.toml" },
				// .dev.vars' agent and a colleague, so that tests can put two agents in one chat; a session's
				// files limited to 30 MiB, so that the total is reached by announcing files, not sending them.
				miniflare: {
					bindings: {
						AGENT_TOKENS: "dev-agent:dev-agent-token,colleague:colleague-token-1234",
						FILE_SESSION_MAX_BYTES: String(30 * 1024 * 1024),
						ROUTING: JSON.stringify(TEST_ROUTING),
						TURNSTILE_VERIFY_URL: turnstile.url,
						CHAT_STARTS_PER_MINUTE: "40",
					},
				},
			}),
		],
		test: {
			include: ["test/worker/**/*.test.ts"],
			testTimeout: 15_000,
			// The Worker logs a JSON line per request (src/logging); thousands of generated requests would bury the report.
			onConsoleLog: (log: string) => !log.startsWith('{"level":"info","event":"request"'),
		},
	};
});
