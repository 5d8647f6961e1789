/**
 * The console's sign-in: an agent token is exchanged for a session cookie (agent-cookie.ts), so
 * the token itself never stays in the browser. Wrong tokens are counted per address, as wrong
 * support keys are. Signing out revokes the sign-in on the server, and "everywhere" revokes every
 * sign-in of the agent's, consoles' open sockets included.
 */
import { Hono } from "hono";
import type { SignedIn } from "../shared/api";
import { SignInSchema } from "../shared/api";
import { clearAgentCookie, closeSignIns, cookieSignIn, setAgentCookie } from "./agent-cookie";
import { requireAgent } from "./auth";
import type { AppEnv } from "./context";
import { checkAgentToken } from "./guesses";
import { refuseForeignOrigin } from "./links";
import { valid } from "./validate";

export const signIn = new Hono<AppEnv>()
	// Another site must not sign a visitor in or out.
	.use(refuseForeignOrigin)
	.post("/login", valid("json", SignInSchema), async (c) => {
		const agent = await checkAgentToken(c, c.req.valid("json").token);
		if (agent instanceof Response) return agent;
		if (!agent) return c.json({ error: "that agent token is not valid" }, 401);
		await setAgentCookie(c, agent);
		return c.json({ agent: agent.name } satisfies SignedIn);
	})
	.post("/logout", async (c) => {
		const current = await cookieSignIn(c);
		if (current) await closeSignIns(c, current.agent.name, current.signIn);
		clearAgentCookie(c);
		return c.body(null, 204);
	})
	.post("/logout-everywhere", requireAgent, async (c) => {
		await closeSignIns(c, c.get("agent").name, null);
		clearAgentCookie(c);
		return c.body(null, 204);
	})
	.get("/me", requireAgent, (c) => c.json({ agent: c.get("agent").name } satisfies SignedIn));
