/**
 * The effects' ports as the deployment provides them: R2, the case directory and the case's other
 * sessions. Tests replace single ports on a live object (`ChatSession.ports`) to make them fail.
 */
import { caseDirectoryOf, directoryShards, queueDirectoryOf, sessionOf } from "../bindings";
import { removeStored } from "../files/r2-cleanup";
import type { EffectPorts } from "./effects";

export function platformPorts(env: Env, scanFile: (fileId: string) => Promise<void>): EffectPorts {
	return {
		archive: env.ARCHIVE,
		reportToDirectory: async (change) => {
			// One shard: one object keeps both. Otherwise the case's shard and the queue object each keep their part.
			if (directoryShards(env) === 1) return caseDirectoryOf(env, change.caseId).sessionChanged(change);
			await Promise.all([caseDirectoryOf(env, change.caseId).sessionChanged(change, { cases: true, queue: false }), queueDirectoryOf(env).sessionChanged(change, { cases: false, queue: true })]);
		},
		liveSessionsOf: (caseId) => caseDirectoryOf(env, caseId).liveSessionsOf(caseId),
		endSession: async (sessionId) => {
			await sessionOf(env, sessionId).resolvedWithCase();
		},
		scanFile,
		removeFile: (key, multipartId) => removeStored(env.ARCHIVE, key, multipartId),
		// Offers go to the consoles, which watch the queue object.
		reportTransfer: (report) => queueDirectoryOf(env).transferChanged(report),
	};
}
