/**
 * A ROUTING setting for browser suites that start chats from the chat page beside chats started
 * with a support key: key chats go to the agents' home queue (the first team, "desk"), so that a
 * key chat's customer left waiting by an earlier test is not ahead of the chat page's customer in
 * team "support".
 */
export const DESK_FIRST_ROUTING = JSON.stringify({
	teams: [
		{ id: "desk", name: "Front desk", queues: [{ id: "general", name: "General" }] },
		{ id: "support", name: "Support", queues: [{ id: "general", name: "General" }] },
	],
});
