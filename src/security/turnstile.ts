/**
 * Cloudflare Turnstile's siteverify: whether a challenge token a browser got is genuine, unused
 * and for this site. Asked only once the deployment's budget of wrong support keys is spent
 * (guesses.ts). Tokens are single-use and live 300 seconds, so one solved challenge buys one guess.
 */
import { z } from "zod";
import type { TurnstileSettings } from "../config";

const SiteverifyAnswer = z.object({ success: z.boolean() });

export async function turnstilePasses(settings: TurnstileSettings, token: string, remoteIp: string | undefined): Promise<boolean> {
	const form = new FormData();
	form.set("secret", settings.secretKey);
	form.set("response", token);
	if (remoteIp !== undefined) form.set("remoteip", remoteIp);
	try {
		const response = await fetch(settings.verifyUrl, { method: "POST", body: form });
		const answer = SiteverifyAnswer.safeParse(await response.json());
		return response.ok && answer.success && answer.data.success;
	} catch {
		// Siteverify unreachable or not answering JSON: nothing was verified, so the challenge stands.
		return false;
	}
}
