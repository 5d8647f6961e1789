/**
 * Teams, their queues and hours, and the agents' routing profiles, from the ROUTING setting (JSON).
 * Without it a deployment has one team, "support", with one queue, "general", open around the
 * clock, and every agent takes every queue, two chats at once: `npm run dev` needs nothing.
 */
import { z } from "zod";
import type { SessionRouting } from "./contract";

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "ids are lowercase letters, digits and dashes");
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "times are HH:MM");
/** "09:00-17:30": open from the first time until the second, in the team's time zone. */
const span = z
	.string()
	.regex(/^\d\d:\d\d-\d\d:\d\d$/, "opening hours are HH:MM-HH:MM")
	.transform((text) => text.split("-"))
	.pipe(z.tuple([clockTime, clockTime]))
	.refine(([from, to]) => from < to, "an opening span ends after it starts");

export const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const HoursSchema = z.object({
	timeZone: z.string().refine(validTimeZone, "not an IANA time zone, like Europe/Berlin"),
	/** Per weekday, the spans the team is open; a day not named is closed. */
	weekly: z.partialRecord(z.enum(WEEKDAYS), z.array(span)),
	/** Dates (YYYY-MM-DD, in the team's time zone) the team is closed all day. */
	holidays: z.array(z.string().regex(/^\d{4}-\d\d-\d\d$/, "holidays are YYYY-MM-DD")).default([]),
});
export type Hours = z.infer<typeof HoursSchema>;

const TeamSchema = z.object({
	id: slug,
	name: z.string().min(1).max(80),
	queues: z.array(z.object({ id: slug, name: z.string().min(1).max(80) })).min(1),
	/** Omitted: open around the clock. */
	hours: HoursSchema.optional(),
	/** How long an agent has to accept an offer before it goes to the next one. */
	offerSeconds: z.number().int().min(5).max(600).default(30),
	/** How long a customer waits with no agent available before being told so and offered to leave a message. */
	noAgentWaitSeconds: z.number().int().min(0).max(86_400).default(120),
});
export type Team = z.infer<typeof TeamSchema>;

/** Queues as "team/queue"; "team/*" for all of a team's, "*" for every queue. */
const ProfileSchema = z.object({
	queues: z.array(z.string().regex(/^(\*|[a-z0-9-]+\/(\*|[a-z0-9-]+))$/, 'queues are "team/queue", "team/*" or "*"')).min(1),
	capacity: z.number().int().min(1).max(20).default(2),
});
export type RoutingProfile = z.infer<typeof ProfileSchema>;

export const RoutingSchema = z
	.object({
		teams: z.array(TeamSchema).min(1),
		/** By agent name; agents without one get `defaultProfile`. */
		profiles: z.record(z.string(), ProfileSchema).default({}),
		defaultProfile: ProfileSchema.default({ queues: ["*"], capacity: 2 }),
	})
	.refine((r) => new Set(r.teams.map((t) => t.id)).size === r.teams.length, "team ids must be unique")
	// A profile naming a team or queue that does not exist would route nothing there, silently.
	.refine((r) => [r.defaultProfile, ...Object.values(r.profiles)].every((p) => p.queues.every((q) => namesQueue(r.teams, q))), "a profile names a team or queue that ROUTING does not have");
export type Routing = z.infer<typeof RoutingSchema>;

function namesQueue(teams: readonly Team[], entry: string): boolean {
	if (entry === "*") return true;
	const [teamId, queueId] = entry.split("/");
	const team = teams.find((t) => t.id === teamId);
	return team !== undefined && (queueId === "*" || team.queues.some((q) => q.id === queueId));
}

export const DEFAULT_ROUTING: Routing = RoutingSchema.parse({ teams: [{ id: "support", name: "Support", queues: [{ id: "general", name: "General" }] }] });

function validTimeZone(zone: string): boolean {
	try {
		new Intl.DateTimeFormat("en", { timeZone: zone });
		return true;
	} catch {
		return false;
	}
}

/** Parses the ROUTING setting; the message says what is wrong, for the config error. */
export function parseRouting(text: string): Routing | string {
	if (text.trim() === "") return DEFAULT_ROUTING;
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		return "ROUTING is not JSON";
	}
	const parsed = RoutingSchema.safeParse(json);
	return parsed.success ? parsed.data : `ROUTING: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`;
}

export function teamOf(routing: Routing, teamId: string): Team | null {
	return routing.teams.find((t) => t.id === teamId) ?? null;
}

export function profileOf(routing: Routing, agentName: string): RoutingProfile {
	return routing.profiles[agentName] ?? routing.defaultProfile;
}

/** Whether an agent with this profile takes chats from the team's queue. */
export function takesQueue(profile: RoutingProfile, teamId: string, queueId: string): boolean {
	return profile.queues.some((q) => q === "*" || q === `${teamId}/*` || q === `${teamId}/${queueId}`);
}

/** The teams an agent takes at least one queue of: their console watches each team's router. */
export function teamsOfAgent(routing: Routing, agentName: string): Team[] {
	const profile = profileOf(routing, agentName);
	return routing.teams.filter((team) => team.queues.some((q) => takesQueue(profile, team.id, q.id)));
}

/**
 * Where a chat an agent starts with a support key is routed when its customer waits without
 * them: the first queue the agent's profile names ("team/*" and "*" mean that team's, or the
 * first team's, first queue).
 */
export function homeQueueOf(routing: Routing, agentName: string): SessionRouting {
	const [first] = profileOf(routing, agentName).queues;
	const [teamId, queueId] = first === undefined || first === "*" ? [] : first.split("/");
	const team = (teamId === undefined ? undefined : teamOf(routing, teamId)) ?? routing.teams[0];
	if (!team) throw new Error("ROUTING has no team");
	const queue = team.queues.find((q) => q.id === queueId) ?? team.queues[0];
	if (!queue) throw new Error(`team ${team.id} has no queue`);
	return { team: team.id, queue: queue.id };
}
