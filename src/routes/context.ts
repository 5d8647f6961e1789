/** The Hono context every route shares: the bindings, the checked configuration, the agent, and on the file routes who is asking (file-actor.ts). */
import type { Agent, Config } from "../config";
import type { Actor } from "../shared/protocol";

export interface AppEnv {
	Bindings: Env;
	Variables: { config: Config; agent: Agent; actor: Actor };
}
