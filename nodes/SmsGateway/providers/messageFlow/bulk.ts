import type { IDataObject } from 'n8n-workflow';
import { BulkStop, chunk, mapWithConcurrency } from '../../shared/batching';
import { readWholeNumber } from '../../shared/fieldValues';
import type { BulkResult, MessagingCapability, OutgoingMessage } from '../types';
import { bulkFields, readSendSettings, sendToNumbers, type SendSettings } from './send';

const DEFAULT_BATCH_SIZE = 500;
const DEFAULT_CONCURRENCY = 5;

interface Entry {
	recipient: string;
	message: OutgoingMessage;
}

/**
 * Bulk sending: MessageFlow takes one text for many numbers per request, so items with the same
 * text and options share requests (up to the batch size), and personalised texts go one request
 * per text, a few at a time. Every recipient still gets its own result, paired to its item.
 */
export const sendBulk: NonNullable<MessagingCapability['sendBulk']> = {
	fields: bulkFields,
	async prepare(ctx, message) {
		return await readSendSettings(ctx, message);
	},
	async send(ctx, prepared, ledger) {
		const options = ctx.getNodeParameter('messageFlowOptions', 0, {}) as IDataObject;
		const batchSize = readWholeNumber(options.batchSize, 'Numbers per Request', { min: 1, max: 1000, fallback: DEFAULT_BATCH_SIZE });
		const concurrency = readWholeNumber(options.concurrency, 'Parallel Requests', { min: 1, max: 20, fallback: DEFAULT_CONCURRENCY });

		const groups = new Map<string, { settings: SendSettings; entries: Entry[] }>();
		for (const { message, settings } of prepared) {
			const typed = settings as SendSettings;
			// The JSON itself is the key: hashing it for every one of thousands of items cost more
			// than the grouping (bench/), and the map holds only a few distinct texts' worth.
			const key = JSON.stringify([typed.fields, typed.numberFormat]);
			const group = groups.get(key) ?? { settings: typed, entries: [] };
			// One by one, not push(...): one item's recipients spread as arguments overflowed the
			// stack from some 150,000 numbers (see splitRecipients).
			for (const recipient of message.recipients) group.entries.push({ recipient, message });
			groups.set(key, group);
		}
		const requests = [...groups.values()].flatMap((group) => chunk(group.entries, batchSize).map((entries) => ({ settings: group.settings, entries })));

		const stop = new BulkStop(ctx.continueOnFail());
		const outcomes = await mapWithConcurrency(requests, concurrency, async ({ settings, entries }): Promise<BulkResult[]> => {
			if (stop.stopped) return entries.map((entry) => ({ recipient: entry.recipient, itemIndex: entry.message.itemIndex, error: stop.notSent() }));
			try {
				const { results, failure } = await sendToNumbers(ctx, entries, settings, async (request) =>
					(await ledger.once(['messageFlow/bulk', entries.map((entry) => [entry.message.itemIndex, entry.recipient])], settings.fields, request)).value,
				);
				// MessageFlow refused the request as a whole (a sender, a schedule time): like a failed
				// request, it stops the requests not yet started. A refused number does not.
				if (failure) stop.failed(failure);
				return results.map((result, index) => ({ ...result, itemIndex: entries[index].message.itemIndex }));
			} catch (error) {
				stop.failed(error as Error);
				return entries.map((entry) => ({ recipient: entry.recipient, itemIndex: entry.message.itemIndex, error: error as Error }));
			}
		});
		return outcomes.flat();
	},
};
