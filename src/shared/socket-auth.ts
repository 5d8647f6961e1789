/**
 * How a client hands its credential to a WebSocket upgrade. A browser cannot set headers on a
 * WebSocket, and a token in the URL ends up in access logs, proxies' logs and history; the list of
 * subprotocols (the `Sec-WebSocket-Protocol` header) is the one header a page may set. The server
 * answers with the chat's subprotocol, never echoing the credential.
 * Two credentials come this way: a participant token (`token.…`, the chat's socket) and an invite
 * link's token (`invite.…`, the join socket, GET /api/join/ws, which joins and opens the chat in one).
 */
export const CHAT_SUBPROTOCOL = "support-chat.v1";
const TOKEN_PREFIX = "token.";
const INVITE_PREFIX = "invite.";

/** What a client offers when it opens the chat's socket: `new WebSocket(url, socketProtocols(token))`. */
export function socketProtocols(token: string): string[] {
	return [CHAT_SUBPROTOCOL, `${TOKEN_PREFIX}${token}`];
}

/** What a client offers when it joins by an invite link on the socket: `new WebSocket(joinUrl, joinProtocols(inviteToken))`. */
export function joinProtocols(inviteToken: string): string[] {
	return [CHAT_SUBPROTOCOL, `${INVITE_PREFIX}${inviteToken}`];
}

/** The value offered under `prefix`; null unless the header offers the chat's subprotocol and such a value. */
function offered(header: string | undefined, prefix: string): string | null {
	const protocols = (header ?? "").split(",").map((protocol) => protocol.trim());
	if (!protocols.includes(CHAT_SUBPROTOCOL)) return null;
	const entry = protocols.find((protocol) => protocol.startsWith(prefix) && protocol.length > prefix.length);
	return entry ? entry.slice(prefix.length) : null;
}

/** The participant token offered in a `Sec-WebSocket-Protocol` header. */
export function tokenFromProtocols(header: string | undefined): string | null {
	return offered(header, TOKEN_PREFIX);
}

/** The invite token offered in a `Sec-WebSocket-Protocol` header. */
export function inviteFromProtocols(header: string | undefined): string | null {
	return offered(header, INVITE_PREFIX);
}
