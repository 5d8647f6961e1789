/**
 * Waits for conditions that events make true, for the tests and the bench: each waiting test is
 * checked whenever `wake` is called (after a frame, an update, a console line), never polled, and
 * gives up after its time.
 */
export class Waiters {
	private readonly checks = new Set<() => void>();

	/** Whether anything waits: a caller on a hot path can skip `wake` without it. */
	get waiting(): boolean {
		return this.checks.size > 0;
	}

	/** Checks every waiting test; called after anything that may have made one true. */
	wake(): void {
		for (const check of [...this.checks]) check();
	}

	/** Forgets every waiting test: they can then only time out. */
	clear(): void {
		this.checks.clear();
	}

	/**
	 * Resolves with `test`'s value once it is truthy; rejects after `timeoutMs`, or as soon as
	 * `over` names why it never will be (a closed socket).
	 */
	until<T>(test: () => T | null | false | undefined, what: string, timeoutMs: number, over: () => string | null = () => null): Promise<T> {
		return new Promise((resolve, reject) => {
			const stop = () => {
				this.checks.delete(check);
				clearTimeout(timer);
			};
			const check = () => {
				const value = test();
				if (value) {
					stop();
					resolve(value);
					return;
				}
				const why = over();
				if (why !== null) {
					stop();
					reject(new Error(`${why} while waiting for ${what}`));
				}
			};
			const timer = setTimeout(() => {
				this.checks.delete(check);
				reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
			}, timeoutMs);
			this.checks.add(check);
			check();
		});
	}
}
