/** Signing in the way the console does, and sending the cookie it gets back. */
import { ORIGIN, api } from "./helpers";

export const COOKIE = "__Host-agent_session";

export function login(token: string, headers: Record<string, string> = {}): Promise<Response> {
	return api("/api/auth/login", { method: "POST", agent: false, body: JSON.stringify({ token }), headers: { Origin: ORIGIN, ...headers } });
}

/** The cookie's value from a Set-Cookie header. */
export function cookieValue(setCookie: string | null): string {
	const match = new RegExp(`^${COOKIE}=([^;]*)`).exec(setCookie ?? "");
	if (!match?.[1]) throw new Error(`no ${COOKIE} in ${setCookie}`);
	return match[1];
}

/** Signs in and answers the cookie's value. */
export async function signedInCookie(token: string): Promise<string> {
	return cookieValue((await login(token)).headers.get("Set-Cookie"));
}

export function withCookie(value: string, headers: Record<string, string> = {}) {
	return { agent: false, headers: { Cookie: `${COOKIE}=${value}`, ...headers } };
}
