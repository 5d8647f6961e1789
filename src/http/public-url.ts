/** The addresses this deployment hands out, from the Worker and from a session alike. */
import type { Config } from "../config";

/** The public origin: PUBLIC_URL when set (a custom domain), else the origin the request came to. */
export function publicOrigin(requestUrl: string, config: Config): string {
	return new URL(config.publicUrl ?? requestUrl).origin;
}

/**
 * The invite link. The token travels in the fragment, which browsers never send to a server,
 * so it stays out of access logs and Referer headers.
 */
export function inviteUrl(requestUrl: string, config: Config, token: string): string {
	return `${publicOrigin(requestUrl, config)}/join#invite=${token}`;
}
