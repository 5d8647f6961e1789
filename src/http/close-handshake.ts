/** The end of a hibernatable WebSocket's closing handshake, shared by the objects that hold sockets. */
export function completeClose(ws: WebSocket, code: number, reason: string): void {
	try {
		// Reply where the runtime does not by itself; 1005 and 1006 may not be sent back.
		ws.close(code === 1005 || code === 1006 ? 1000 : code, reason);
	} catch {
		// Already closed.
	}
}
