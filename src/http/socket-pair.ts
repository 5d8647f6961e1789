/** A WebSocket pair by name: the client end goes back in the 101 response, the server end is accepted. */
export function socketPair(): { client: WebSocket; server: WebSocket } {
	const pair = new WebSocketPair();
	return { client: pair[0], server: pair[1] };
}
