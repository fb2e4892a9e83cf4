import type { RecordedRequest } from './types';

export interface RequestFilter {
	provider?: string;
	method?: string;
	pathIncludes?: string;
	/** Only requests with `seq` greater than this. */
	sinceSeq?: number;
}

/**
 * Keeps every provider request with its answer. Bounded so a long benchmark or a simulator left running
 * for days does not grow without limit; the sequence number keeps counting so tests can still use
 * `sinceSeq` across the trim.
 */
export class RequestRecorder {
	private items: RecordedRequest[] = [];
	private seq = 0;

	constructor(private readonly limit = 10_000) {}

	nextSeq(): number {
		this.seq += 1;
		return this.seq;
	}

	add(record: RecordedRequest): void {
		this.items.push(record);
		if (this.items.length > this.limit) this.items.splice(0, this.items.length - this.limit);
	}

	list(filter: RequestFilter = {}): RecordedRequest[] {
		const method = filter.method?.toUpperCase();
		return this.items.filter(
			(r) =>
				(filter.provider === undefined || r.provider === filter.provider) &&
				(method === undefined || r.method === method) &&
				(filter.pathIncludes === undefined || r.path.includes(filter.pathIncludes)) &&
				(filter.sinceSeq === undefined || r.seq > filter.sinceSeq),
		);
	}

	/** Clears the list; the sequence keeps counting so ids stay unique for the process lifetime. */
	clear(): void {
		this.items = [];
	}
}
