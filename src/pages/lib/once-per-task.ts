/**
 * A function that runs `work` once, at the end of the task it was first called in (a microtask),
 * however often it is called before then. A replay brings a whole history in one frame: what
 * follows each event (laying the log out to scroll it, redrawing the card) is then done once.
 */
export function oncePerTask(work: () => void): () => void {
	let queued = false;
	return () => {
		if (queued) return;
		queued = true;
		queueMicrotask(() => {
			queued = false;
			work();
		});
	};
}
