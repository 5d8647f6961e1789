/** The Worker: Hono routes in front, one Durable Object per chat session behind. */
import { app } from "./routes/app";

export { CaseDirectory } from "./directory/case-directory";
export { RateLimiter } from "./limits/rate-limiter";
export { TeamRouter } from "./routing/team-router";
export { AgentSignIns } from "./security/agent-sign-ins";
export { ChatSession } from "./session/chat-session";

export default { fetch: app.fetch } satisfies ExportedHandler<Env>;
