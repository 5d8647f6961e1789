/**
 * wrangler runs in process groups of its own, which a Ctrl-C in the terminal does not reach: on an
 * interrupt the benchmark's tools stop the servers they started and remove their copy of the project.
 */
import type { Target } from "./targets/target";

export function stopOnInterrupt(running: Set<Target>, removeSnapshot: () => void, log: (message: string) => void = console.error): void {
	const stop = (signal: NodeJS.Signals) => {
		log(`${signal}: stopping the servers`);
		void Promise.allSettled([...running].map((t) => t.stop())).then(() => {
			removeSnapshot();
			process.exit(130);
		});
	};
	process.once("SIGINT", stop);
	process.once("SIGTERM", stop);
}
