/**
 * The effects' ports as the deployment provides them: R2, the case directory and the case's other
 * sessions. Tests replace single ports on a live object (`ChatSession.ports`) to make them fail.
 */
import { caseDirectoryOf, queueDirectoryOf, sessionOf } from "../bindings";
import type { SessionRouting } from "../routing/contract";
import { reportChange } from "../routing/report";
import { removeStored } from "../files/r2-cleanup";
import type { EffectPorts } from "./effects";

/** `routingOf`: a customer-started chat's team and queue, whose router hears its status too. */
export function platformPorts(env: Env, scanFile: (fileId: string) => Promise<void>, routingOf: () => SessionRouting | undefined): EffectPorts {
	return {
		archive: env.ARCHIVE,
		reportToDirectory: (change) => reportChange(env, routingOf(), change),
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
