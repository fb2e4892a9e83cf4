import { sleep, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';
import { PROVIDERS } from '../../providers';
import type { OutgoingMessage } from '../../providers/types';
import { showOnlyFor } from '../../shared/descriptions';
import { withBulkParameters } from '../../shared/parameters';
import { loadPhoneNumbers } from '../../shared/phone';
import type { ItemOutcome, Operation, OperationContext } from '../types';
import { defaultCountryField, messageTextField, recipientsField } from './fields';
import { readOutgoingMessageWith } from './send.operation';

const fields: INodeProperties[] = [
	{
		...recipientsField,
		description:
			'The phone number(s) of this item, usually mapped from the input, e.g. {{ $json.phone }}. Every input item becomes its own message; they go out together in as few requests as the provider allows.',
	},
	defaultCountryField,
	{
		...messageTextField,
		description: 'The text for this item. Map fields into it to personalise each message, e.g. Hi {{ $json.firstName }}!',
	},
	...PROVIDERS.flatMap((provider) =>
		provider.messaging.sendBulk ? showOnlyFor({ provider: [provider.id] }, provider.messaging.sendBulk.fields) : [],
	),
];

/** Milliseconds of reading between two turns of the event loop (see executeAll). */
const READ_SLICE_MS = 2;

export const description = showOnlyFor({ resource: ['message'], operation: ['sendBulk'] }, fields);

/**
 * Every item is read and checked first, so a bad item is reported before anything goes out
 * (and, without Continue On Fail, stops the node before a single message is sent).
 */
async function executeAll(nodeCtx: IExecuteFunctions, items: INodeExecutionData[], { provider, ledger }: OperationContext): Promise<ItemOutcome[][]> {
	const capability = provider.messaging.sendBulk!;
	// Thousands of items read the same parameters: constants are resolved once and `{{ $json.x }}`
	// mappings read from the item (see shared/parameters.ts; measured in bench/).
	const ctx = withBulkParameters(nodeCtx, items);
	// The credential is asked for now, while the items are read: n8n reads it from its database and
	// decrypts it, which (after the reading, before the first request) cost 8–30 ms in a fresh
	// `n8n execute` and 3–20 ms in a running n8n (bench/). The bulk context keeps the answer for
	// the requests; a failure is not kept, so the first request gets n8n's error itself.
	const chosen = nodeCtx.getNode().credentials ?? {};
	for (const type of provider.credentialTypes) {
		if (chosen[type]) void (ctx.getCredentials(type, 0) as Promise<unknown>).catch(() => undefined);
	}
	const outcomes: ItemOutcome[][] = items.map(() => []);
	const ready: Array<{ message: OutgoingMessage; settings: unknown }> = [];
	const phones = await loadPhoneNumbers();
	// The items are read without waiting on each other, and their results are taken in item order,
	// so the first bad item decides exactly as before. Each read settles to a value or an error, so
	// none counts as unhandled while an earlier one is awaited.
	const read = async (itemIndex: number): Promise<{ value: (typeof ready)[number] } | { error: Error }> => {
		try {
			const message = readOutgoingMessageWith(phones, ctx, itemIndex);
			return { value: { message, settings: await capability.prepare(ctx, message) } };
		} catch (error) {
			return { error: error as Error };
		}
	};
	// Reading thousands of items is one long stretch of JavaScript during which Node does no I/O: a
	// request the first item starts (SMSGateway24's device list, one for the whole run) used to reach
	// the provider only after the last item was read, its round trip on top (bench/, "Where the
	// node's time went"). With a turn of the event loop every few milliseconds of reading, the
	// request goes out while the rest are read. The turns are cut by time, not by item count: a
	// turn is a timer, and a timer waits at least a millisecond. Slices of 50 items, which a warm
	// process reads in well under that, left Node idle at every turn (2,000 items: ~30 ms of a
	// running n8n's 60 ms of reading; MessageFlow 91 → 63 ms in all, median of ten, A/B). The
	// timer is set when a slice starts, so by the time the slice is read it is due.
	const reads: Array<ReturnType<typeof read>> = [];
	let turn = sleep(0);
	let sliceStart = performance.now();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		reads.push(read(itemIndex));
		if (itemIndex + 1 < items.length && performance.now() - sliceStart >= READ_SLICE_MS) {
			await turn;
			turn = sleep(0);
			sliceStart = performance.now();
		}
	}
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const result = await reads[itemIndex];
		if ('value' in result) {
			ready.push(result.value);
			continue;
		}
		if (!ctx.continueOnFail()) return [...outcomes.slice(0, itemIndex), [{ error: result.error }]];
		outcomes[itemIndex].push({ error: result.error });
	}
	for (const result of await capability.send(ctx, ready, ledger)) {
		outcomes[result.itemIndex].push(
			'message' in result ? { json: result.message } : { error: result.error, context: { recipient: result.recipient } },
		);
	}
	return outcomes;
}

export const sendBulk: Operation = { description, executeAll };
