/**
 * Whether this browser signed in to the console before. The session cookie is HttpOnly, so the
 * page cannot see it; without this hint every first visit would ask /api/auth/me and log its
 * 401 in the browser's console. With it, only a page that may be signed in asks.
 */
const KEY = "console-signed-in";

export function maybeSignedIn(): boolean {
	try {
		return localStorage.getItem(KEY) === "yes";
	} catch {
		return true;
	}
}

export function rememberSignedIn(): void {
	try {
		localStorage.setItem(KEY, "yes");
	} catch {
		// Storage disabled: every load asks /api/auth/me, as it would without the hint.
	}
}

export function forgetSignedIn(): void {
	try {
		localStorage.removeItem(KEY);
	} catch {
		// Storage disabled: nothing was kept.
	}
}
