/** Opening and closing many rooms' worth of participants. */
import { BenchSocket } from "./client";
import { inPool } from "./pace";
import type { SocketAddress, Target } from "./targets/target";

export interface Rooms {
	/** Each room's participants' WebSocket addresses, and their open sockets, in the same order. */
	addresses: SocketAddress[][];
	sockets: BenchSocket[][];
}

/** Setup is not timed; a few rooms at a time keep it under the chat's limit of attempts under way per address. */
const SETUP_CONCURRENCY = 8;

export async function openRooms(target: Target, count: number, size: number): Promise<Rooms> {
	const addresses = await inPool(count, SETUP_CONCURRENCY, () => target.openRoom(size));
	const sockets = await inPool(count, SETUP_CONCURRENCY, async (i) => {
		const room: BenchSocket[] = [];
		for (const address of addresses[i] ?? []) room.push(await BenchSocket.open(address, 0));
		return room;
	});
	// Everyone has the room's history (join events) before the clock starts.
	await Promise.all(sockets.flat().map((s) => s.until(() => s.lastSeq >= s.headSeq, "the room's history")));
	return { addresses, sockets };
}

export async function closeRooms(rooms: Rooms): Promise<void> {
	await Promise.all(rooms.sockets.flat().map((s) => s.close()));
}
