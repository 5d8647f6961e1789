/** What the Worker's routes and the sessions rely on of a team's router (team-router.ts). */
import type { Availability } from "../shared/routing";

/** A chat the start route hands to its team's router, right after the customer is in it. */
export interface RoutedChatInit {
	sessionId: string;
	caseId: string;
	queue: string;
	customerName: string;
	subject: string;
	at: number;
	/**
	 * The agent who started it with a support key: it waits for its customer, not in the queue,
	 * and if the customer then waits without an agent it is offered to them first.
	 */
	heldBy?: string;
}

/** An agent as the router sees them when it chooses whom to offer a chat. */
export interface AgentFacts {
	name: string;
	availability: Availability;
	capacity: number;
	/** Chats they have from this team plus offers waiting for them. */
	load: number;
	/** Since when they have had no new chat: the longest idle is offered first. */
	idleSince: number;
	takesQueue(queue: string): boolean;
}

export type OfferAnswer = { ok: true } | { ok: false; error: string };

/** The session's routing: which team's router hears of its changes, and which queue it waits in. */
export interface SessionRouting {
	team: string;
	queue: string;
}

/** The header by which the Worker hands the checked agent's name to the router's socket door. */
export const ROUTING_AGENT_HEADER = "X-Routing-Agent";
