/** The Worker: Hono routes in front, one Durable Object per chat session behind. */
import { app } from "./routes/app";
import { participantUpgrade } from "./routes/participant-socket";

export { CaseDirectory } from "./directory/case-directory";
export { RateLimiter } from "./limits/rate-limiter";
export { TeamRouter } from "./routing/team-router";
export { AgentSignIns } from "./security/agent-sign-ins";
export { ChatSession } from "./session/chat-session";

export default {
	// A participant's socket, the most frequent request, is answered before the app (participant-socket.ts).
	fetch: (request: Request, env: Env, ctx: ExecutionContext) => participantUpgrade(request, env) ?? app.fetch(request, env, ctx),
} satisfies ExportedHandler<Env>;
