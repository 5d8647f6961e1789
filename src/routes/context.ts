/** The Hono context every route shares: the bindings, the checked configuration, the agent, and on the file routes who is asking (file-actor.ts). */
import type { Agent, Config } from "../config";
import type { FileCaller } from "../files/contract";

export interface AppEnv {
	Bindings: Env;
	Variables: {
		config: Config;
		agent: Agent;
		/** The console sign-in the agent came with; null for a Bearer token. */
		signIn: string | null;
		/** The request's id in the log (request-log.ts). */
		requestId: string;
		/** On the file routes, who is asking (file-actor.ts). */
		actor: FileCaller;
	};
}
