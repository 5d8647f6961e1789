/** Edits and deletes: events of their own, pointing at the message; agents and the transcript keep every revision, the others see what stands. */
import { describe, expect, it } from "vitest";
import type { Transcript } from "../../src/shared/transcript";
import { TestClient, api, joinAsAgent, joinAsCustomer, newSession } from "./helpers";
import { joinByLink, makeLink, seqs } from "./member-helpers";

describe("editing and deleting a message", () => {
	it("keeps the original and every revision for the agent and the transcript, and shows the others only what stands", async () => {
		const started = await newSession();
		const customerJoin = await joinAsCustomer(started);
		const customer = await TestClient.connect(customerJoin);
		const agent = await TestClient.connect(await joinAsAgent(started.sessionId));
		const sam = await TestClient.connect(await joinByLink((await makeLink(customerJoin, started.sessionId, { kind: "invite", role: "member", name: "Sam" })).url));
		await sam.frameOf("state");

		customer.say("pw", "my password is hunter2");
		const { seq: original } = await customer.stored("pw");
		customer.send({ type: "edit", of: original, text: "my password is ********" });
		await agent.until(() => agent.events.some((e) => e.type === "message_edited"), "the edit");
		customer.send({ type: "edit", of: original, text: "never mind" });
		customer.say("other", "another message");
		await agent.until(() => agent.messages().includes("another message"), "the second message");
		const other = agent.events.find((e) => e.type === "message" && e.text === "another message")?.seq ?? 0;
		customer.send({ type: "delete", of: other });
		await agent.until(() => agent.events.some((e) => e.type === "message_deleted"), "the delete");

		// Agents see every revision, with who and when.
		const revisions = agent.events.filter((e) => e.type === "message_edited" || e.type === "message_deleted");
		expect(revisions.map((e) => ({ type: e.type, of: "of" in e ? e.of : 0, text: "text" in e ? e.text : null, actor: e.actor?.id }))).toEqual([
			{ type: "message_edited", of: original, text: "my password is ********", actor: "customer" },
			{ type: "message_edited", of: original, text: "never mind", actor: "customer" },
			{ type: "message_deleted", of: other, text: null, actor: "customer" },
		]);
		expect(revisions.every((e) => e.at > 0)).toBe(true);

		// Others: a colleague who comes (back) now is given only what stands.
		await sam.until(() => sam.events.some((e) => e.type === "message_deleted"), "the delete");
		const later = await TestClient.connect(await joinByLink((await makeLink(customerJoin, started.sessionId, { kind: "invite", role: "member", name: "Kim" })).url));
		await later.until(() => later.events.some((e) => e.type === "message_deleted"), "the replay");
		expect(later.events.find((e) => e.seq === original)).toMatchObject({ type: "message", text: "" });
		expect(later.events.filter((e) => e.type === "message_edited").map((e) => ("text" in e ? e.text : null))).toEqual(["", "never mind"]);
		expect(later.events.find((e) => e.seq === other)).toMatchObject({ type: "message", text: "" });
		expect(JSON.stringify(later.frames)).not.toContain("hunter2");
		expect(seqs(later.events)).toEqual(Array.from({ length: later.events.length }, (_, i) => i + 1));
		// The agent's own replay keeps everything.
		const reader = await TestClient.connect(await joinAsAgent(started.sessionId, "colleague-token-1234"));
		await reader.until(() => reader.events.some((e) => e.type === "message_deleted"), "the agent's replay");
		expect(reader.messages()).toContain("my password is hunter2");

		// Only their own, and not once deleted.
		sam.say("sam", "Sam's message");
		const { seq: samsSeq } = await sam.stored("sam");
		customer.send({ type: "edit", of: samsSeq, text: "not yours" });
		expect(await customer.frameOf("error")).toMatchObject({ code: "forbidden", message: "you can only edit or delete your own messages" });
		const errors = customer.frames.filter((f) => f.type === "error").length;
		customer.send({ type: "edit", of: other, text: "back" });
		await customer.until(() => customer.frames.filter((f) => f.type === "error").length > errors, "the refusal");
		expect(customer.frames.filter((f) => f.type === "error").at(-1)).toMatchObject({ code: "forbidden", message: "this message was deleted" });
		customer.send({ type: "delete", of: 1 });
		await customer.until(() => customer.frames.filter((f) => f.type === "error").length > errors + 1, "the refusal");
		expect(customer.frames.filter((f) => f.type === "error").at(-1)).toMatchObject({ code: "bad_frame" });
		customer.send({ type: "edit", of: original, text: "" });
		await customer.until(() => customer.frames.filter((f) => f.type === "error").length > errors + 2, "the refusal");
		expect(customer.frames.filter((f) => f.type === "error").at(-1)).toMatchObject({ code: "bad_frame" });

		// The transcript keeps every revision.
		await api(`/api/sessions/${started.sessionId}/end`, { method: "POST" });
		await customer.untilClosed();
		// Ending waits for the transcript to be written.
		const transcript = await api(`/api/sessions/${started.sessionId}/transcript`);
		expect(transcript.status).toBe(200);
		const stored = await transcript.json<Transcript>();
		const texts = stored.events.flatMap((e) => (e.type === "message" || e.type === "message_edited" ? [e.text] : []));
		expect(texts).toEqual(expect.arrayContaining(["my password is hunter2", "my password is ********", "never mind", "another message"]));
		expect(stored.events.find((e) => e.type === "message_deleted")).toMatchObject({ of: other, actor: { id: "customer" } });
		expect(stored.participants.map((p) => p.role).sort()).toEqual(["agent", "agent", "customer", "member", "member"]);
	});
});
