/**
 * Whom a waiting chat is offered to: an available agent whose routing profile takes its queue,
 * with room under their capacity, who has not let this chat's offer pass already. The agent a
 * returning customer last chatted with comes first; otherwise whoever has been idle longest.
 * Pure, so the rule is read and tested in one place.
 */
import type { AgentFacts } from "./contract";

export interface ChatFacts {
	queue: string;
	previousAgent: string | null;
	/** Agents whose offer of this chat timed out or who declined it. */
	tried: readonly string[];
}

/** Whether this agent could take one more chat now, from any queue. */
function free(agent: AgentFacts): boolean {
	return agent.availability === "available" && agent.load < agent.capacity;
}

export function eligible(agent: AgentFacts, chat: ChatFacts): boolean {
	return free(agent) && agent.takesQueue(chat.queue) && !chat.tried.includes(agent.name);
}

/** Whether anyone could take one more chat now: with nobody, no waiting chat need be looked at. */
export function hasRoom(agents: readonly AgentFacts[]): boolean {
	return agents.some(free);
}

export function pickAgent(agents: readonly AgentFacts[], chat: ChatFacts): string | null {
	const candidates = agents.filter((agent) => eligible(agent, chat));
	const previous = candidates.find((agent) => agent.name === chat.previousAgent);
	if (previous) return previous.name;
	candidates.sort((a, b) => a.idleSince - b.idleSince || a.name.localeCompare(b.name));
	return candidates[0]?.name ?? null;
}
