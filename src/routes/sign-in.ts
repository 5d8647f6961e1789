/**
 * The console's sign-in: an agent token is exchanged for a session cookie (agent-cookie.ts), so
 * the token itself never stays in the browser. Wrong tokens are counted per address, as wrong
 * support keys are.
 */
import { Hono } from "hono";
import type { SignedIn } from "../shared/api";
import { SignInSchema } from "../shared/api";
import { clearAgentCookie, setAgentCookie } from "./agent-cookie";
import { agentForToken, requireAgent } from "./auth";
import type { AppEnv } from "./context";
import { limitGuesses } from "./guesses";
import { refuseForeignOrigin } from "./links";
import { valid } from "./validate";

export const signIn = new Hono<AppEnv>()
	// Another site must not sign a visitor in or out.
	.use(refuseForeignOrigin)
	.post("/login", valid("json", SignInSchema), (c) =>
		limitGuesses<Response>(c, "token", async () => {
			const agent = await agentForToken(c.get("config").agents, c.req.valid("json").token);
			if (!agent) return { result: c.json({ error: "that agent token is not valid" }, 401), wrong: true };
			await setAgentCookie(c, agent);
			return { result: c.json({ agent: agent.name } satisfies SignedIn), wrong: false };
		}),
	)
	.post("/logout", (c) => {
		clearAgentCookie(c);
		return c.body(null, 204);
	})
	.get("/me", requireAgent, (c) => c.json({ agent: c.get("agent").name } satisfies SignedIn));
