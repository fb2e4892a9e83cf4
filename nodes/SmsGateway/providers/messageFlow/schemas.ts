import { z } from 'zod';

/**
 * Shapes of MessageFlow's answers, from the models of its official samples. Fields the samples do
 * not show are kept (passthrough) and go into the output's raw answer.
 */

export const problem = z
	.object({
		title: z.string().nullable().optional(),
		message: z.string().nullable().optional(),
		code: z.union([z.number(), z.string()]).nullable().optional(),
		meta: z
			.object({
				source: z.string().nullable().optional(),
				parameter: z.string().nullable().optional(),
				value: z.unknown().optional(),
			})
			.passthrough()
			.nullable()
			.optional(),
	})
	.passthrough();

/** One message of an answer's `data`, as the samples show it; other fields are kept. */
export interface SentMessage {
	sender?: string | null;
	/** Always text here, whether the answer wrote it as a number or a string. */
	phoneNumber: string;
	externalId?: string | null;
	status?: number | string | null;
	statusTime?: string | number | null;
	createTime?: string | number | null;
	numberOfParts?: number | string | null;
	[field: string]: unknown;
}

function isOptional(value: unknown, ...types: Array<'string' | 'number'>): boolean {
	return value === undefined || value === null || types.includes(typeof value as 'string' | 'number');
}

/**
 * Checked by hand rather than with zod: a bulk answer lists up to 500 messages, and zod 3 costs
 * several microseconds per array element even for a custom check (~20 µs per message with
 * z.object): 4 ms per 500-message answer in a running n8n, 26 ms for a 2,000-item send's four
 * answers in a fresh one, more than the rest of the node's work on them (bench/, README
 * "Performance"). The rules are those of the samples' model: a phone number (text or number), the
 * rest optional.
 */
function isSentMessage(value: unknown): boolean {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
	const entry = value as Record<string, unknown>;
	return (
		(typeof entry.phoneNumber === 'string' || typeof entry.phoneNumber === 'number') &&
		isOptional(entry.sender, 'string') &&
		isOptional(entry.externalId, 'string') &&
		isOptional(entry.status, 'number', 'string') &&
		isOptional(entry.statusTime, 'string', 'number') &&
		isOptional(entry.createTime, 'string', 'number') &&
		isOptional(entry.numberOfParts, 'number', 'string')
	);
}

/** The answer's `data`: the list is walked once, and a bad entry is reported at its index (data.3). */
const messages = z.unknown().transform((value, ctx): SentMessage[] | null | undefined => {
	if (value === undefined || value === null) return value;
	if (!Array.isArray(value)) {
		ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'not a list of messages' });
		return z.NEVER;
	}
	const read: SentMessage[] = new Array(value.length);
	for (let index = 0; index < value.length; index++) {
		const entry = value[index] as Record<string, unknown>;
		if (!isSentMessage(entry)) {
			ctx.addIssue({ code: z.ZodIssueCode.custom, path: [index], message: 'not a message: needs a phoneNumber, and text or numbers in the other fields' });
			return z.NEVER;
		}
		read[index] = { ...entry, phoneNumber: String(entry.phoneNumber) } as SentMessage;
	}
	return read;
});

export const answer = z
	.object({
		data: messages,
		errors: z.array(problem).nullable().optional(),
		meta: z.object({}).passthrough().nullable().optional(),
	})
	.passthrough();

export type Problem = z.infer<typeof problem>;
export type Answer = z.infer<typeof answer>;
