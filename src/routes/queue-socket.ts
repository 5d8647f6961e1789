/** GET /api/queue/ws: the console's live queue, from the case directory's hibernatable WebSockets. */
import { Hono } from "hono";
import { queueDirectoryOf } from "../bindings";
import { SIGN_IN_HEADER } from "../security/agent-sign-ins";
import { AGENT_HEADER } from "../directory/contract";
import { agentActor, requireAgent } from "./auth";
import type { AppEnv } from "./context";
import { refuseForeignOrigin } from "./links";

export const queueSocket = new Hono<AppEnv>().get("/ws", requireAgent, refuseForeignOrigin, async (c) => {
	if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") return c.json({ error: "expected a WebSocket upgrade" }, 426);
	// A console's socket is tagged with its sign-in, so that signing out closes it.
	const signIn = c.get("signIn");
	// And with its agent, whom chats offered to them are sent to (transfers.ts).
	const agent = agentActor(c.get("agent")).id;
	return queueDirectoryOf(c.env).fetch(new Request(c.req.url, { headers: { Upgrade: "websocket", [AGENT_HEADER]: agent, ...(signIn === null ? {} : { [SIGN_IN_HEADER]: signIn }) } }));
});
