/**
 * The effects' ports as the deployment provides them: R2, the case directory and the case's other
 * sessions. Tests replace single ports on a live object (`ChatSession.ports`) to make them fail.
 */
import { directoryOf, sessionOf } from "../bindings";
import { removeStored } from "../files/r2-cleanup";
import type { EffectPorts } from "./effects";

export function platformPorts(env: Env, scanFile: (fileId: string) => Promise<void>): EffectPorts {
	return {
		archive: env.ARCHIVE,
		reportToDirectory: (change) => directoryOf(env).sessionChanged(change),
		liveSessionsOf: (caseId) => directoryOf(env).liveSessionsOf(caseId),
		endSession: async (sessionId) => {
			await sessionOf(env, sessionId).resolvedWithCase();
		},
		scanFile,
		removeFile: (key, multipartId) => removeStored(env.ARCHIVE, key, multipartId),
	};
}
