import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { BulkStop, chunk, mapWithConcurrency } from '../../shared/batching';
import { readOnOff, readWholeNumber } from '../../shared/fieldValues';
import type { BulkResult, MessagingCapability, OutgoingMessage } from '../types';
import { findSentMessages } from './messages';
import { bulkAnswer } from './schemas';
import { bulkFields, messageFields, readSendSettings, sentMessage, type SendSettings } from './send';
import { callSmsGateway24 } from './transport';

/**
 * Messages per addalotofsms request. SMSGateway24 publishes no limit, and the request is one form
 * field of JSON (500 messages are ~100 KB, far inside a PHP server's usual 8 MB post limit).
 * Fewer, larger requests are both lighter on the service and faster: 2,000 messages go in four
 * requests, two round trips at three in flight (200 per request needed ten, four round trips; bench/).
 */
const DEFAULT_BATCH_SIZE = 500;
/**
 * Batches in flight at once. Sent one after another, the batches cost one round trip each; three at
 * a time cut 2,000 items to two round trips (four batches; with 200 per batch, ten batches went in
 * four instead of ten; bench/) while staying a light load for a service that publishes no limit.
 */
const DEFAULT_CONCURRENCY = 3;

interface Entry {
	message: OutgoingMessage;
	settings: SendSettings;
	recipient: string;
}

const NO_ID_NOTE =
	'SMSGateway24 returns no message IDs for bulk sends. Turn on "Look Up Message IDs" (with a Customer Reference), or find the messages with Message → Get Many.';

/**
 * One message as datajson carries it. Unlike a form field, JSON shows a value's type, and the API's
 * documents give `device_id` as an int (their example: `"device_id":260`), so it goes as a number,
 * like `sim`, `urgent` and `customerid` already do. An ID too long for a safe number stays text.
 */
function jsonMessage(fields: IDataObject): IDataObject {
	const deviceId = Number(fields.device_id);
	// In place: messageFields builds a new object for each message, and a bulk send writes thousands.
	if (Number.isSafeInteger(deviceId)) fields.device_id = deviceId;
	return fields;
}

/**
 * Bulk sending through addalotofsms: many messages per request, each with its own recipient, text,
 * device and options. The API answers a batch as a whole, with no ids, so a batch succeeds or
 * fails together; ids can be looked up afterwards by customer reference.
 */
export const sendBulk: NonNullable<MessagingCapability['sendBulk']> = {
	fields: bulkFields,
	// Handed on as it is, not awaited here: one asynchronous step less per item (see PhoneNumbers in shared/phone.ts).
	prepare: (ctx, message) => readSendSettings(ctx, message.itemIndex),
	async send(ctx, prepared, ledger) {
		const options = ctx.getNodeParameter('smsGateway24Options', 0, {}) as IDataObject;
		const batchSize = readWholeNumber(options.batchSize, 'Batch Size', { min: 1, max: 1000, fallback: DEFAULT_BATCH_SIZE });
		const concurrency = readWholeNumber(options.concurrency, 'Parallel Requests', { min: 1, max: 10, fallback: DEFAULT_CONCURRENCY });
		const entries: Entry[] = prepared.flatMap(({ message, settings }) =>
			message.recipients.map((recipient) => ({ message, settings: settings as SendSettings, recipient })),
		);
		const stop = new BulkStop(ctx.continueOnFail());
		const outcomes = await mapWithConcurrency(chunk(entries, batchSize), concurrency, async (batch) => {
			const results: BulkResult[] = [];
			const sent: Array<{ output: IDataObject; entry: Entry }> = [];
			if (stop.stopped) {
				for (const entry of batch) results.push({ itemIndex: entry.message.itemIndex, recipient: entry.recipient, error: stop.notSent() });
				return { results, sent };
			}
			// Written as JSON once, for the request's field (it was also written again for the send's
			// fingerprint, a visible part of a cold run's time; the fingerprint of a node run now
			// holds only the items and recipients, see shared/ledger.ts).
			const datajson = JSON.stringify({ smsdata: batch.map((entry) => jsonMessage(messageFields(entry.recipient, entry.message.text, entry.settings))) });
			try {
				const { value: answer } = await ledger.once(['smsGateway24/addalotofsms', batch.map((entry) => [entry.message.itemIndex, entry.recipient])], datajson, async () =>
					// The token goes into datajson: the credential adds it there (see its authenticate).
					await callSmsGateway24(ctx, 'addalotofsms', { datajson }, bulkAnswer, {
						itemIndex: batch[0].message.itemIndex,
					}),
				);
				for (const entry of batch) {
					const output = { ...sentMessage(entry.recipient, entry.message, entry.settings, null, answer as IDataObject), note: NO_ID_NOTE };
					results.push({ itemIndex: entry.message.itemIndex, recipient: entry.recipient, message: output });
					sent.push({ output, entry });
				}
			} catch (error) {
				for (const entry of batch) results.push({ itemIndex: entry.message.itemIndex, recipient: entry.recipient, error: error as Error });
				stop.failed(error as Error);
			}
			return { results, sent };
		});
		const results = outcomes.flatMap((outcome) => outcome.results);
		const sent = outcomes.flatMap((outcome) => outcome.sent);
		if (readOnOff(options.lookUpIds, 'Look Up Message IDs', false)) await lookUpIds(ctx, sent);
		return results;
	},
};

/**
 * Fills in the ids of bulk-sent messages that carry a customer reference: one list request per
 * reference, each message matched by recipient and text (and used once, for repeated texts).
 */
async function lookUpIds(ctx: IExecuteFunctions, sent: Array<{ output: IDataObject; entry: Entry }>): Promise<void> {
	const byReference = new Map<number, Array<{ output: IDataObject; entry: Entry }>>();
	for (const record of sent) {
		const reference = record.entry.settings.customerReference;
		if (reference === undefined) {
			record.output.note = 'This item has no Customer Reference, so its message ID could not be looked up.';
			continue;
		}
		// Pushed, not copied into a new array per record: a campaign of 20,000 items shares one
		// reference, and copying the group for each of them was quadratic.
		const group = byReference.get(reference);
		if (group) group.push(record);
		else byReference.set(reference, [record]);
	}
	for (const [reference, group] of byReference) {
		let stored: Awaited<ReturnType<typeof findSentMessages>>;
		try {
			stored = await findSentMessages(ctx, group[0].entry.message.itemIndex, reference);
		} catch (error) {
			// The messages went out; only their ids are missing. Failing the node here would make a
			// re-run text everybody again, so each output says what happened instead.
			for (const { output } of group) {
				output.note = `The message was sent, but looking up its ID failed (${(error as Error).message}); look for it with Message → Get Many.`;
			}
			continue;
		}
		// The stored messages by recipient and text, newest first, each handed out once: searching
		// the whole list for every sent message (skipping those taken) was quadratic: 20,000 items
		// with one reference took 12 s more CPU with the look-up than without it (now 1 s).
		const candidates = new Map<string, string[]>();
		for (const candidate of stored) {
			const key = JSON.stringify([candidate.sendto, candidate.body]);
			const ids = candidates.get(key);
			if (ids) ids.push(candidate.id);
			else candidates.set(key, [candidate.id]);
		}
		const taken = new Map<string, number>();
		for (const { output, entry } of group) {
			const key = JSON.stringify([entry.recipient, entry.message.text]);
			const ids = candidates.get(key);
			const next = taken.get(key) ?? 0;
			const match = ids !== undefined && next < ids.length ? ids[next] : undefined;
			if (match !== undefined) {
				taken.set(key, next + 1);
				output.messageId = match;
				delete output.note;
			} else {
				output.note = `No message to ${entry.recipient} with Customer Reference ${reference} was found; look for it with Message → Get Many.`;
			}
		}
	}
}
