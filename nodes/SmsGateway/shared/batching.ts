import { InvalidInputError } from './errors';

/** Splits a list into consecutive batches of at most `size` entries. */
export function chunk<T>(entries: T[], size: number): T[][] {
	const batches: T[][] = [];
	const step = Math.max(1, Math.floor(size));
	for (let start = 0; start < entries.length; start += step) batches.push(entries.slice(start, start + step));
	return batches;
}

/**
 * Maps over entries with at most `limit` calls in flight, keeping the order of the results.
 * Providers without a bulk endpoint send item by item; a few at a time is much faster than one by
 * one and still gentle with the provider.
 */
export async function mapWithConcurrency<T, R>(entries: T[], limit: number, map: (entry: T, index: number) => Promise<R>): Promise<R[]> {
	const results = new Array<R>(entries.length);
	let next = 0;
	const worker = async () => {
		while (next < entries.length) {
			const index = next++;
			results[index] = await map(entries[index], index);
		}
	};
	await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), entries.length) }, worker));
	return results;
}

/**
 * How a bulk send (or a Send to several recipients, one request each) stops. Without Continue On
 * Fail the node fails at its first error, so requests not yet started are not sent (the run would
 * otherwise put out messages it then reports as failed, and a re-run would text those people
 * again); those already in flight finish. Each message left out says so, with the error that
 * stopped the run: the node reports the first error in item order, which may be one of these.
 */
export class BulkStop {
	private cause?: Error;

	constructor(
		private readonly continueOnFail: boolean,
		/** What stopped, in the message: "bulk send", "send". */
		private readonly what = 'bulk send',
	) {}

	/** A request failed: without Continue On Fail, nothing more starts. */
	failed(error: Error): void {
		if (!this.continueOnFail) this.cause ??= error;
	}

	get stopped(): boolean {
		return this.cause !== undefined;
	}

	/** The error of a message that was not sent because the run stopped. */
	notSent(): Error {
		const cause = this.cause instanceof InvalidInputError ? `${this.cause.field}: ${this.cause.message}` : (this.cause?.message ?? 'see the other items');
		return new Error(`Not sent: the ${this.what} stopped at an error (${cause})`);
	}
}

/**
 * A Send to several recipients with one request each (SMSGateway24, SMS Bridge): one after
 * another, a failed request (thrown, or returned as an error) becomes that recipient's error, and
 * without Continue On Fail the recipients after it are not sent (see BulkStop).
 */
export async function sendOneByOne<R extends { recipient: string } & ({ error: Error } | { message: unknown })>(
	recipients: string[],
	continueOnFail: boolean,
	sendOne: (recipient: string) => Promise<R>,
): Promise<Array<R | { recipient: string; error: Error }>> {
	const stop = new BulkStop(continueOnFail, 'send');
	const results: Array<R | { recipient: string; error: Error }> = [];
	for (const recipient of recipients) {
		if (stop.stopped) {
			results.push({ recipient, error: stop.notSent() });
			continue;
		}
		const result = await sendOne(recipient).catch((error: Error) => ({ recipient, error }));
		if ('error' in result) stop.failed(result.error);
		results.push(result);
	}
	return results;
}
