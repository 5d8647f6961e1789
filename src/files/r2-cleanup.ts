/** Removes whatever R2 holds of a file: its unfinished multipart upload and its object. Running it twice changes nothing. */
export async function removeStored(bucket: Pick<R2Bucket, "delete" | "resumeMultipartUpload">, key: string, multipartId: string | null): Promise<void> {
	if (multipartId) {
		try {
			await bucket.resumeMultipartUpload(key, multipartId).abort();
		} catch (error) {
			// Completed or aborted already: nothing of it is left to abort.
			if (!/does not exist|NoSuchUpload|not found/i.test(String(error))) throw error;
		}
	}
	await bucket.delete(key);
}
