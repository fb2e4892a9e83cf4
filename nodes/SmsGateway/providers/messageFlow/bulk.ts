import type { IDataObject } from 'n8n-workflow';
import { chunk, mapWithConcurrency } from '../../shared/batching';
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
		return readSendSettings(ctx, message);
	},
	async send(ctx, prepared, ledger) {
		const options = ctx.getNodeParameter('messageFlowOptions', 0, {}) as IDataObject;
		const batchSize = Number(options.batchSize) || DEFAULT_BATCH_SIZE;
		const concurrency = Number(options.concurrency) || DEFAULT_CONCURRENCY;

		const groups = new Map<string, { settings: SendSettings; entries: Entry[] }>();
		for (const { message, settings } of prepared) {
			const typed = settings as SendSettings;
			// The JSON itself is the key: hashing it for every one of thousands of items cost more
			// than the grouping (bench/), and the map holds only a few distinct texts' worth.
			const key = JSON.stringify([typed.fields, typed.numberFormat]);
			const group = groups.get(key) ?? { settings: typed, entries: [] };
			group.entries.push(...message.recipients.map((recipient) => ({ recipient, message })));
			groups.set(key, group);
		}
		const requests = [...groups.values()].flatMap((group) => chunk(group.entries, batchSize).map((entries) => ({ settings: group.settings, entries })));

		let stop = false;
		const outcomes = await mapWithConcurrency(requests, concurrency, async ({ settings, entries }) => {
			if (stop) return entries.map((entry) => ({ recipient: entry.recipient, itemIndex: entry.message.itemIndex, skipped: true as const }));
			try {
				const results = await sendToNumbers(ctx, entries, settings, async (request) =>
					(await ledger.once(['messageFlow/bulk', settings.fields, entries.map((entry) => [entry.message.itemIndex, entry.recipient])], request)).value,
				);
				return results.map((result, index) => ({ ...result, itemIndex: entries[index].message.itemIndex }));
			} catch (error) {
				// Without Continue On Fail the node stops at this error; requests not yet started are
				// not sent, so the run does not put out messages it then reports as failed.
				if (!ctx.continueOnFail()) stop = true;
				return entries.map((entry) => ({ recipient: entry.recipient, itemIndex: entry.message.itemIndex, error: error as Error }));
			}
		});
		const results: BulkResult[] = [];
		for (const result of outcomes.flat()) {
			if ('skipped' in result) {
				results.push({ recipient: result.recipient, itemIndex: result.itemIndex, error: new Error('Not sent: an earlier request of this bulk send failed.') });
			} else results.push(result);
		}
		return results;
	},
};
