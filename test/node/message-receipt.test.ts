/**
 * Leaving a message when nobody can chat: the customer who gave an email address gets a receipt
 * through the send_email binding (simulated by wrangler, which logs where it wrote the message),
 * in plain text only, with what they wrote.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MessageLeft } from "../../src/shared/routing";
import type { DevServer } from "../support/dev-server";
import { logged, startDevServer } from "../support/dev-server";

let server: DevServer;

beforeAll(async () => {
	// No Turnstile here: this file is about the receipt (the challenge has its own tests).
	server = await startDevServer({ vars: { EMAIL_FROM: "support@example.com", TURNSTILE_SITE_KEY: "" } });
});
afterAll(async () => {
	await server?.stop();
});

describe("a left message", () => {
	it("is answered with a plain-text receipt to the address the customer gave", async () => {
		const response = await fetch(`${server.url}/api/messages`, {
			method: "POST",
			headers: { "Content-Type": "application/json" },
			body: JSON.stringify({ team: "support", queue: "general", name: "Robin", email: "robin@example.com", text: "<b>Please</b> call me about order 42." }),
		});
		expect(response.status).toBe(201);
		const left = (await response.json()) as MessageLeft;
		expect(left.replyBy).toBe("email");

		const [block, text] = await logged(server, /To: robin@example\.com[\s\S]*?Text: (\S+)/);
		expect(block).not.toContain("HTML:");
		const receipt = readFileSync(text ?? "", "utf8");
		expect(receipt).toContain(`as case ${left.caseId}`);
		expect(receipt).toContain("<b>Please</b> call me about order 42.");
		expect(server.output()).toContain("From: support@example.com");
	});
});
