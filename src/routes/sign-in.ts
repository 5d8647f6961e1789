/**
 * The console's sign-in: an agent token is exchanged for a session cookie (agent-cookie.ts), so
 * the token itself never stays in the browser. Wrong tokens are counted per address, as wrong
 * support keys are.
 */
import { Hono } from "hono";
import { limiterOf } from "../bindings";
import type { SignedIn } from "../shared/api";
import { SignInSchema } from "../shared/api";
import { clearAgentCookie, setAgentCookie } from "./agent-cookie";
import { agentForToken, requireAgent } from "./auth";
import type { AppEnv } from "./context";
import { originAllowed } from "./links";
import { valid } from "./validate";

export const WRONG_TOKEN_LIMIT = 10;
export const WRONG_TOKEN_WINDOW_MS = 15 * 60 * 1000;

export const signIn = new Hono<AppEnv>()
	.use(async (c, next) => {
		// Another site must not sign a visitor in or out.
		const origin = c.req.header("Origin");
		if (origin !== undefined && !originAllowed(origin, c.req.url, c.get("config"))) return c.json({ error: "origin not allowed" }, 403);
		await next();
	})
	.post("/login", valid("json", SignInSchema), async (c) => {
		const limiter = limiterOf(c.env, `wrong-agent-token:${c.req.header("CF-Connecting-IP") ?? "local"}`);
		const decision = await limiter.check(WRONG_TOKEN_LIMIT, WRONG_TOKEN_WINDOW_MS);
		if (!decision.allowed) {
			return c.json({ error: "too many wrong tokens from this address: try again later" }, 429, {
				"Retry-After": String(Math.ceil(decision.retryAfterMs / 1000)),
			});
		}
		const agent = await agentForToken(c.get("config").agents, c.req.valid("json").token);
		if (!agent) {
			await limiter.hit();
			return c.json({ error: "that agent token is not valid" }, 401);
		}
		await setAgentCookie(c, agent);
		return c.json({ agent: agent.name } satisfies SignedIn);
	})
	.post("/logout", (c) => {
		clearAgentCookie(c);
		return c.body(null, 204);
	})
	.get("/me", requireAgent, (c) => c.json({ agent: c.get("agent").name } satisfies SignedIn));
