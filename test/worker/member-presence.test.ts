/** Presence per person: connected, idle (connected, nothing done for a while) or gone, and since when. */
import { describe, expect, it } from "vitest";
import { IDLE_AFTER_MS } from "../../src/shared/protocol";
import type { ParticipantView } from "../../src/shared/protocol";
import { presenceOf } from "../../src/shared/presence";
import { TestClient, joinAsAgent, joinAsCustomer, newSession } from "./helpers";

describe("presence", () => {
	it("says who is connected since when, who went idle, and who is gone since when", async () => {
		const started = await newSession();
		const before = Date.now();
		const customer = await TestClient.connect(await joinAsCustomer(started));
		await customer.frameOf("state");
		const agent = await TestClient.connect(await joinAsAgent(started.sessionId));
		const seen = (await agent.frameOf("state")).state.participants.find((p) => p.id === "customer");
		if (!seen) throw new Error("the customer is not in the state");
		expect(seen.since).toBeGreaterThanOrEqual(before);
		expect(presenceOf(seen, Date.now())).toEqual({ state: "connected", since: seen.since });
		// Nothing done for a while, still connected: idle from the moment the while was over.
		expect(presenceOf(seen, (seen.since ?? 0) + IDLE_AFTER_MS + 1)).toEqual({ state: "idle", since: (seen.since ?? 0) + IDLE_AFTER_MS });

		customer.say("hi", "hi");
		await customer.stored("hi");
		const wrote = Date.now();
		customer.close();
		const gone = await agent.until(
			// A departure is told as the one entry that changed.
			() => agent.frames.flatMap((f) => (f.type === "participant" ? [f.participant] : [])).find((p: ParticipantView) => p.id === "customer" && !p.online),
			"the customer to be gone",
		);
		expect(gone.lastActiveAt).toBeGreaterThanOrEqual(before);
		expect(gone.lastActiveAt).toBeLessThanOrEqual(wrote);
		expect(gone.since).toBeGreaterThanOrEqual(gone.lastActiveAt ?? 0);
		expect(presenceOf(gone, Date.now()).state).toBe("gone");
		agent.close();
	});
});
