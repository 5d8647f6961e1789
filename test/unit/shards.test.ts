/** Which shard a case id or support key belongs to, and drawing one for a shard. */
import { describe, expect, it } from "vitest";
import { perShard, randomDigitsIn, shardOfDigits } from "../../src/directory/shards";

describe("directory shards", () => {
	it("puts every digit string in one shard by its first two digits, spreading the hundred prefixes evenly", () => {
		for (const count of [1, 2, 3, 4, 7, 100]) {
			const sizes = new Map<number, number>();
			for (let prefix = 0; prefix < 100; prefix++) {
				const shard = shardOfDigits(`${String(prefix).padStart(2, "0")}1234567`, count);
				sizes.set(shard, (sizes.get(shard) ?? 0) + 1);
			}
			expect(sizes.size).toBe(count);
			expect(Math.max(...sizes.values()) - Math.min(...sizes.values()), `${count} shards`).toBeLessThanOrEqual(1);
		}
	});

	it("draws keys and ids that lead to the shard asked for", () => {
		for (let index = 0; index < 4; index++) {
			for (let i = 0; i < 50; i++) {
				const digits = randomDigitsIn(9, { index, count: 4 });
				expect(digits).toMatch(/^\d{9}$/);
				expect(shardOfDigits(digits, 4)).toBe(index);
			}
		}
	});

	it("gives each shard its share of a limit, never less than one", () => {
		expect(perShard(10, 1)).toBe(10);
		expect(perShard(10, 4)).toBe(3);
		expect(perShard(100, 4)).toBe(25);
		expect(perShard(10, 100)).toBe(1);
	});
});
