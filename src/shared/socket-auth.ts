/**
 * How a client hands its participant token to the WebSocket upgrade. A browser cannot set headers
 * on a WebSocket, and a token in the URL ends up in access logs, proxies' logs and history; the
 * list of subprotocols (the `Sec-WebSocket-Protocol` header) is the one header a page may set.
 * The server answers with the chat's subprotocol, never echoing the token.
 */
export const CHAT_SUBPROTOCOL = "support-chat.v1";
const TOKEN_PREFIX = "token.";

/** What a client offers when it opens the socket: `new WebSocket(url, socketProtocols(token))`. */
export function socketProtocols(token: string): string[] {
	return [CHAT_SUBPROTOCOL, `${TOKEN_PREFIX}${token}`];
}

/** The token offered in a `Sec-WebSocket-Protocol` header; null unless it offers the chat's subprotocol and a token. */
export function tokenFromProtocols(header: string | undefined): string | null {
	const offered = (header ?? "").split(",").map((protocol) => protocol.trim());
	if (!offered.includes(CHAT_SUBPROTOCOL)) return null;
	const entry = offered.find((protocol) => protocol.startsWith(TOKEN_PREFIX) && protocol.length > TOKEN_PREFIX.length);
	return entry ? entry.slice(TOKEN_PREFIX.length) : null;
}
