/** Members of a chat: a colleague the customer invites, a specialist an agent invites, and removing them. */
import { describe, expect, it } from "vitest";
import { TestClient, api, joinAsAgent, joinAsCustomer, newSession, openSocket } from "./helpers";
import { asWho, joinByLink, makeLink, peopleOf, seqs, tokenOf } from "./member-helpers";

describe("a colleague the customer invites", () => {
	it("joins by the customer's link as a person of their own, sees the history and everything after exactly once", async () => {
		const started = await newSession();
		const customerJoin = await joinAsCustomer(started);
		const customer = await TestClient.connect(customerJoin);
		customer.say("early", "written before anyone from support came");
		await customer.stored("early");
		const agent = await TestClient.connect(await joinAsAgent(started.sessionId));
		await agent.until(() => agent.messages().length === 1, "the early message");
		// Shown to the agent who joins, marked as sent before they did (the default recording setting).
		expect(agent.events.find((e) => e.type === "message")).toMatchObject({ text: "written before anyone from support came", unattended: true });
		customer.say("one", "one");
		await agent.until(() => agent.messages().includes("one"), "one");

		const made = await makeLink(customerJoin, started.sessionId, { kind: "invite", role: "member", name: "Sam" });
		expect(made.link).toMatchObject({ kind: "invite", role: "member", name: "Sam", madeBy: "customer", state: "live", revocable: true });
		expect(made.url).toMatch(/\/join#invite=[A-Za-z0-9_-]{66}$/);
		expect(made.link.expiresAt).toBeGreaterThan(Date.now());

		const samJoin = await joinByLink(made.url);
		expect(samJoin).toMatchObject({ role: "member", participantId: made.link.participantId, resumeUrl: made.url });
		expect(samJoin.participantId).not.toBe("customer");
		const sam = await TestClient.connect(samJoin);
		const state = await sam.frameOf("state");
		expect(state.you).toEqual({ id: samJoin.participantId, role: "member", name: "Sam" });
		await sam.until(() => sam.messages().includes("one"), "the history");
		expect(sam.messages()).toEqual(["written before anyone from support came", "one"]);

		customer.say("two", "two");
		sam.say("hello", "Hello, I'm Dana's colleague");
		await agent.until(() => agent.messages().includes("Hello, I'm Dana's colleague"), "the colleague's message");
		expect(agent.events.find((e) => e.type === "message" && e.text.startsWith("Hello"))?.actor).toEqual({ id: samJoin.participantId, role: "member", name: "Sam" });
		await sam.until(() => sam.messages().includes("two") && sam.messages().includes("Hello, I'm Dana's colleague"), "everything after");
		const last = sam.events.at(-1)?.seq ?? 0;
		sam.close();
		await sam.untilClosed();

		// Back on the same token from where they were: nothing missed, nothing twice.
		customer.say("three", "three");
		await customer.until(() => customer.messages().includes("three"), "three");
		const again = await TestClient.connect(samJoin, last);
		await again.until(() => again.messages().includes("three"), "three after resuming");
		const all = [...sam.events, ...again.events];
		expect(seqs(all)).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));

		// Everyone sees them in the chat, with their presence.
		const people = await peopleOf(customerJoin, started.sessionId);
		const samThere = people.people.find((p) => p.id === samJoin.participantId);
		expect(samThere).toMatchObject({ name: "Sam", role: "member", present: true, online: true, removable: true, removed: false });
		expect(samThere?.devices).toHaveLength(1);
		expect(samThere?.devices[0]).toMatchObject({ via: "link", linkId: made.link.linkId, online: true });
		expect(samThere?.since).toBeTypeOf("number");
		expect(people.people.find((p) => p.id === "customer")?.removable).toBe(false);
		again.close();
		agent.close();
		customer.close();
	});

	it("may chat but not end the chat, resolve the case, or invite", async () => {
		const started = await newSession();
		const customerJoin = await joinAsCustomer(started);
		const samJoin = await joinByLink((await makeLink(customerJoin, started.sessionId, { kind: "invite", role: "member", name: "Sam" })).url);
		const sam = await TestClient.connect(samJoin);
		await sam.frameOf("state");
		sam.send({ type: "end" });
		expect(await sam.frameOf("error")).toMatchObject({ code: "forbidden" });
		sam.send({ type: "resolve" });
		await sam.until(() => sam.frames.filter((f) => f.type === "error").length === 2, "the second refusal");
		expect((await asWho(samJoin, `/api/sessions/${started.sessionId}/links`, "POST", { kind: "invite", role: "member", name: "Kim" })).status).toBe(403);
		// The customer invites colleagues only; specialists are the agents' to bring in.
		expect((await asWho(customerJoin, `/api/sessions/${started.sessionId}/links`, "POST", { kind: "invite", role: "specialist", name: "Kim" })).status).toBe(403);
		const state = await api(`/api/sessions/${started.sessionId}`);
		expect((await state.json<{ status: string }>()).status).toBe("waiting");
		sam.close();
	});
});

describe("removing someone", () => {
	it("closes their socket at once, tells everyone, and refuses their reconnect, their link and their token on every route", async () => {
		const started = await newSession();
		const customerJoin = await joinAsCustomer(started);
		const customer = await TestClient.connect(customerJoin);
		const agent = await TestClient.connect(await joinAsAgent(started.sessionId));
		const made = await makeLink(customerJoin, started.sessionId, { kind: "invite", role: "member", name: "Sam" });
		const samJoin = await joinByLink(made.url);
		const sam = await TestClient.connect(samJoin);
		await sam.frameOf("state");

		// The customer cannot remove the agent, and nobody removes the customer.
		expect((await asWho(customerJoin, `/api/sessions/${started.sessionId}/people/agent:dev-agent/remove`, "POST")).status).toBe(403);
		expect((await asWho("agent", `/api/sessions/${started.sessionId}/people/customer/remove`, "POST")).status).toBe(403);
		expect((await asWho(samJoin, `/api/sessions/${started.sessionId}/people/customer/remove`, "POST")).status).toBe(403);

		const removal = await asWho(customerJoin, `/api/sessions/${started.sessionId}/people/${samJoin.participantId}/remove`, "POST");
		expect(removal.status).toBe(200);
		expect(await sam.untilClosed()).toEqual({ code: 1008, reason: "removed from this chat" });
		expect(sam.events.at(-1)).toMatchObject({ type: "removed", participantId: samJoin.participantId, name: "Sam", actor: { id: "customer" } });
		expect(sam.frames.at(-1)).toEqual({ type: "error", code: "forbidden", message: "you were removed from this chat" });
		await agent.until(() => agent.events.some((e) => e.type === "removed"), "the removal");
		await customer.until(() => customer.events.some((e) => e.type === "removed"), "the removal");

		customer.say("after", "written after the removal");
		await agent.until(() => agent.messages().includes("written after the removal"), "the message");
		// Their token: the socket, the people list, the files; their link.
		expect((await openSocket(samJoin, 0)).status).toBe(403);
		expect((await asWho(samJoin, `/api/sessions/${started.sessionId}/people`, "GET")).status).toBe(403);
		expect((await asWho(samJoin, `/api/sessions/${started.sessionId}/links`, "POST", { kind: "device" })).status).toBe(403);
		const file = await api(`/api/sessions/${started.sessionId}/files`, { agent: false, method: "POST", headers: { Authorization: `Bearer ${samJoin.token}` }, body: JSON.stringify({ clientId: "f1", name: "a.txt", size: 3, type: "text/plain" }) });
		expect(file.status).toBe(403);
		const back = await api("/api/join", { method: "POST", agent: false, body: JSON.stringify({ inviteToken: tokenOf(made.url) }) });
		expect(back.status).toBe(403);
		expect(await back.json()).toEqual({ error: "you were removed from this chat" });
		const people = await peopleOf("agent", started.sessionId);
		expect(people.people.find((p) => p.id === samJoin.participantId)).toMatchObject({ removed: true, present: false, devices: [] });
		expect(people.links.find((l) => l.linkId === made.link.linkId)?.state).toBe("revoked");
		agent.close();
		customer.close();
	});

	it("lets an agent remove a specialist they invited, and another agent; the agent's console cannot bring a removed agent back", async () => {
		const started = await newSession();
		await TestClient.connect(await joinAsCustomer(started));
		const agentJoin = await joinAsAgent(started.sessionId);
		const agent = await TestClient.connect(agentJoin);
		const specialistLink = await makeLink("agent", started.sessionId, { kind: "invite", role: "specialist", name: "Riley" });
		const riley = await TestClient.connect(await joinByLink(specialistLink.url));
		expect((await riley.frameOf("state")).you.role).toBe("specialist");
		const colleague = await TestClient.connect(await joinAsAgent(started.sessionId, "colleague-token-1234"));
		await colleague.frameOf("state");

		expect((await asWho("agent", `/api/sessions/${started.sessionId}/people/${specialistLink.link.participantId}/remove`, "POST")).status).toBe(200);
		expect(await riley.untilClosed()).toMatchObject({ code: 1008 });
		expect((await asWho("agent", `/api/sessions/${started.sessionId}/people/agent:colleague/remove`, "POST")).status).toBe(200);
		expect(await colleague.untilClosed()).toMatchObject({ code: 1008 });
		const refused = await api(`/api/sessions/${started.sessionId}/agent`, { method: "POST", agent: false, headers: { Authorization: "Bearer colleague-token-1234" }, body: "{}" });
		expect(refused.status).toBe(403);
		// The chat goes on for the agent who stayed.
		expect((await api(`/api/sessions/${started.sessionId}`)).status).toBe(200);
		expect(agent.closed).toBeNull();
		agent.close();
	});

	it("keeps a removed agent out of the chat from the console too: no log, people, links, end or resolve", async () => {
		const started = await newSession();
		await TestClient.connect(await joinAsCustomer(started));
		const agent = await TestClient.connect(await joinAsAgent(started.sessionId));
		const colleague = await TestClient.connect(await joinAsAgent(started.sessionId, "colleague-token-1234"));
		await colleague.frameOf("state");
		expect((await asWho("agent", `/api/sessions/${started.sessionId}/people/agent:colleague/remove`, "POST")).status).toBe(200);
		await colleague.untilClosed();
		agent.say("after", "written after the colleague was removed");
		await agent.stored("after");

		const asColleague = (path: string, method: "GET" | "POST", body?: unknown) =>
			api(path, { method, agent: false, headers: { Authorization: "Bearer colleague-token-1234" }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
		for (const [path, method, body] of [
			[`/api/sessions/${started.sessionId}/log`, "GET", undefined],
			[`/api/sessions/${started.sessionId}/people`, "GET", undefined],
			[`/api/sessions/${started.sessionId}/links`, "POST", { kind: "invite", role: "member", name: "Sam" }],
			[`/api/sessions/${started.sessionId}/end`, "POST", {}],
			[`/api/sessions/${started.sessionId}/resolve`, "POST", {}],
			[`/api/cases/${started.caseId}/resolve`, "POST", {}],
		] as const) {
			const answer = await asColleague(path, method, body);
			expect({ path, method, status: answer.status, body: await answer.json() }).toEqual({ path, method, status: 403, body: { error: "you were removed from this chat" } });
		}
		// Nothing of that happened: the chat is live, its case open, and the agent who stayed reads the log.
		expect((await (await api(`/api/sessions/${started.sessionId}`)).json<{ status: string }>()).status).toBe("active");
		expect((await (await api(`/api/cases/${started.caseId}`)).json<{ status: string }>()).status).toBe("open");
		expect(await (await api(`/api/sessions/${started.sessionId}/log`)).text()).toContain("written after the colleague was removed");
		agent.close();
	});
});
