/**
 * The join page once the deployment's budget of wrong keys is spent: a customer typing a right key
 * is asked to prove they are a person, solves Turnstile's challenge and is in the chat. There is no
 * internet here: Cloudflare's widget script is played by a tiny fake served with page.route, and
 * siteverify by the loopback server of key-budget.test.ts.
 */
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeTurnstile } from "../../support/fake-turnstile";
import { DESK_FIRST_ROUTING } from "../../support/routing";
import { startFakeTurnstile } from "../../support/fake-turnstile";
import { PHONE } from "./browser";
import { browserSuite, field, onScreen, startSession } from "./people";

const BUDGET = 3;
const TURNSTILE = "https://challenges.cloudflare.com";
let verifier: FakeTurnstile;

// Before the suite's own beforeAll: the server is started pointing at this verifier.
beforeAll(async () => {
	verifier = await startFakeTurnstile();
});
afterAll(async () => {
	await verifier?.close();
});

const suite = browserSuite({
	server: () => ({ vars: { TURNSTILE_VERIFY_URL: verifier.url, WRONG_KEY_BUDGET_PER_MINUTE: String(BUDGET), ROUTING: DESK_FIRST_ROUTING } }),
	elsewhere: [TURNSTILE],
});

/**
 * Turnstile's explicit rendering as the page uses it: a button that "solves" the challenge,
 * handing the callback token-1, token-2, … in turn.
 */
const FAKE_WIDGET = `(() => {
	let solved = 0;
	window.turnstile = {
		render(container, options) {
			const button = document.createElement("button");
			button.type = "button";
			button.textContent = "I am human (fake Turnstile for " + options.sitekey + ")";
			button.addEventListener("click", () => {
				solved += 1;
				button.remove();
				options.callback("token-" + solved);
			});
			container.append(button);
			return "widget-" + solved;
		},
	};
})();`;

/** Serves the fake widget for every request to Turnstile's origin; returns the addresses asked for. */
async function playTurnstile(context: BrowserContext): Promise<string[]> {
	const asked: string[] = [];
	await context.route(`${TURNSTILE}/**`, (route) => {
		asked.push(route.request().url());
		return route.fulfill({ status: 200, contentType: "text/javascript", body: FAKE_WIDGET });
	});
	return asked;
}

async function spendBudget(): Promise<void> {
	const wrongKey = "000000000";
	for (let i = 0; i < BUDGET; i++) {
		// Each from a new address: no address comes near its own limit.
		const answer = await fetch(`${suite.server.url}/api/join`, { method: "POST", headers: { "Content-Type": "application/json", "CF-Connecting-IP": `192.0.2.${i + 1}` }, body: JSON.stringify({ supportKey: wrongKey }) });
		expect(answer.status).toBe(404);
	}
}

describe("the join page's challenge", () => {
	it("asks a customer with a right key to prove they are a person, then lets them in; a failed check can be tried again", async () => {
		const started = await startSession(suite.server, "Printer offline", { name: "Dana" });
		const { page, context } = await suite.person(PHONE, null);
		const asked = await playTurnstile(context);
		await page.goto(`${suite.server.url}/join`);
		await field(page, "Support key").waitFor();
		// A normal visit never loads Cloudflare's script.
		expect(asked).toEqual([]);

		await spendBudget();
		await field(page, "Support key").fill(started.supportKey);
		await page.getByRole("button", { name: "Join the chat" }).click();

		await page.getByRole("heading", { name: "Please confirm you are a person" }).waitFor();
		await page.getByText("Many wrong support keys were tried here recently, so before you join we need to check that you are a person and not a program.").waitFor();
		const widget = page.getByRole("button", { name: "I am human (fake Turnstile for 1x00000000000000000000AA)" });
		await widget.waitFor();
		expect(await onScreen(page, ".challenge-slot button")).toBe(true);
		expect(asked).toEqual([`${TURNSTILE}/turnstile/v0/api.js?render=explicit`]);

		// The verifier knows only token-2: the first solve fails on the server's side.
		verifier.issue("token-2");
		await widget.click();
		await page.getByText("That check didn't go through. Please try it again.").waitFor();
		expect(await onScreen(page, ".form-error")).toBe(true);
		await widget.click();

		await field(page, "Message").waitFor();
		expect(await onScreen(page, ".composer-input")).toBe(true);
		expect(verifier.received.map((form) => form.get("response"))).toEqual(["token-1", "token-2"]);
		// The script came once for the page's lifetime, though the challenge was drawn twice.
		expect(asked).toHaveLength(1);
	});
});

describe("the chat page's challenge", () => {
	it("draws Turnstile in the pre-chat form, starts only with a solved check, and keeps what was typed when a check fails", async () => {
		const { page, context } = await suite.person(PHONE, null);
		await playTurnstile(context);
		await page.goto(`${suite.server.url}/chat?team=support`);
		await field(page, "Your name").fill("Robin");
		await page.getByRole("button", { name: "Start the chat" }).click();
		await page.getByText("Please complete the check below first.").waitFor();

		// The verifier knows only the second token: the first start is refused, the form comes back filled in.
		const received = verifier.received.length;
		verifier.issue("token-2");
		await page.getByRole("button", { name: /I am human/ }).click();
		await page.getByRole("button", { name: "Start the chat" }).click();
		await page.getByText("That check didn't go through. Please try it again.").waitFor();
		expect(await field(page, "Your name").inputValue()).toBe("Robin");
		await page.getByRole("button", { name: /I am human/ }).click();
		await page.getByRole("button", { name: "Start the chat" }).click();
		await page.getByText("You are number 1 in the queue").waitFor();
		expect(verifier.received.slice(received).map((form) => form.get("response"))).toEqual(["token-1", "token-2"]);
	});
});
