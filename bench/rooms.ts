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

/** Sets rooms up and connects everyone in them. */
export async function openRooms(target: Target, count: number, size: number): Promise<Rooms> {
	return connectRooms(await setUpRooms(target, count, size));
}

/** Creates the rooms (for the chat: its cases, sessions and joins, over HTTP) without connecting anyone. */
export function setUpRooms(target: Target, count: number, size: number): Promise<SocketAddress[][]> {
	return inPool(count, SETUP_CONCURRENCY, () => target.openRoom(size));
}

/** Connects every participant of rooms set up before. */
export async function connectRooms(addresses: SocketAddress[][]): Promise<Rooms> {
	const sockets = await inPool(addresses.length, SETUP_CONCURRENCY, async (i) => {
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
