/** Path parameters that many routes share, checked by the same schema wherever they appear. */
import { z } from "zod";
import { SessionIdSchema } from "../shared/api";

/** `{sessionId}` in a route's path. */
export const SessionParam = z.object({ sessionId: SessionIdSchema });
