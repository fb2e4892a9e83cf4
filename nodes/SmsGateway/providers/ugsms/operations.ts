import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { InvalidInputError } from '../../shared/errors';
import { readWholeNumber } from '../../shared/fieldValues';
import { SendLedger } from '../../shared/ledger';
import type { ProviderOperation } from '../types';
import { balance as balanceSchema, key as keySchema } from './schemas';
import { authOf, callUgsms, PROVIDER_ID, requireApiKey } from './transport';

/** UGSMS's operations beyond messaging: the balance (v2) and API key management. */

const MAX_EXPIRY_DAYS = 365;

function money(value: unknown): number | null {
	if (value === undefined || value === null || value === '') return null;
	const number = Number(value);
	return Number.isFinite(number) ? number : null;
}

const account: Record<string, ProviderOperation> = {
	getBalance: {
		name: 'Get Balance',
		action: 'Get the account balance',
		description: 'The credit left on the UGSMS account (needs the API key authentication)',
		// The Operation dropdown is shared with SMS Bridge and shows one text for both: the UGSMS
		// condition is said where it applies.
		fields: [
			{
				displayName: 'UGSMS gives the balance to the API Key authentication only. With Username and Password, each send reports the balance left in its output (raw.data.remaining_balance).',
				name: 'ugsmsBalanceNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { authentication: ['usernamePassword'] } },
			},
		],
		execute: async (ctx, itemIndex) => {
			const auth = authOf(ctx, itemIndex);
			requireApiKey(auth, 'Get Balance', 'With Username and Password, a send reports the balance left in its output (raw.data.remaining_balance).');
			const answer = await callUgsms(ctx, auth, { method: 'GET', path: 'api/v2/account/balance', itemIndex });
			const parsed = balanceSchema.safeParse(answer.body.data ?? {});
			const data = parsed.success ? parsed.data : {};
			return { provider: PROVIDER_ID, balance: money(data.balance), currency: data.currency ?? null, raw: answer.body as IDataObject };
		},
	},
};

const expiryField: INodeProperties = {
	displayName: 'Expires After (Days)',
	name: 'ugsmsExpiryDays',
	type: 'number',
	typeOptions: { minValue: 0, maxValue: MAX_EXPIRY_DAYS, numberPrecision: 0 },
	default: 0,
	description: 'How long the new key works, from 1 to 365 days. 0 sends no expiry, so UGSMS’s own default applies (its documents do not say which).',
};

function readExpiryDays(ctx: IExecuteFunctions, itemIndex: number): number | undefined {
	const raw = ctx.getNodeParameter('ugsmsExpiryDays', itemIndex, 0) as unknown;
	if (raw === 0 || (typeof raw === 'string' && raw.trim() === '0')) return undefined;
	const days = readWholeNumber(raw, 'Expires After (Days)', {
		min: 1,
		max: MAX_EXPIRY_DAYS,
		fallback: 0,
		unit: 'days',
		fix: `UGSMS accepts 1 to ${MAX_EXPIRY_DAYS} days. Enter 0 to send none (UGSMS’s own default then applies).`,
	});
	return days === 0 ? undefined : days;
}

/**
 * Key management changes state at UGSMS, so n8n's Retry On Fail must not repeat it: a retried run
 * returns the answer it already got (the same new key) instead of generating yet another one and
 * leaving the first unusable. The ledger is the node run's own (see shared/ledger).
 */
async function once<T>(ctx: IExecuteFunctions, identity: unknown[], content: unknown, run: () => Promise<T>): Promise<T> {
	return (await new SendLedger(ctx).once(identity, content, run)).value;
}

/**
 * The new key is what the user asked for, so it is in the output (and only there: it is never
 * logged, and error messages have it removed). n8n saves it with the execution's data like any
 * output.
 */
async function newKey(ctx: IExecuteFunctions, itemIndex: number, operation: 'generateKey' | 'regenerateKey'): Promise<IDataObject> {
	const auth = authOf(ctx, itemIndex);
	const days = readExpiryDays(ctx, itemIndex);
	const path = operation === 'generateKey' ? 'api/generate-key' : 'api/regenerate-key';
	const body: IDataObject = days === undefined ? {} : { expiry_days: days };
	const answer = await once(ctx, ['ugsms/key', operation, itemIndex], [auth, body], async () => await callUgsms(ctx, auth, { method: 'POST', path, body, itemIndex, whenLost: 'UGSMS may already have made a new key' }));
	const parsed = keySchema.safeParse(answer.body.data ?? {});
	if (!parsed.success) {
		throw new InvalidInputError(
			'API Key',
			`UGSMS answered ${path} without a key (${answer.body.message ?? 'no message'})`,
			'Check in the UGSMS panel whether a new key was made before trying again.',
		);
	}
	const { api_key: apiKey, expires_at: expiresAt, created_at: createdAt, ...rest } = parsed.data;
	const replaced = operation === 'regenerateKey';
	return {
		provider: PROVIDER_ID,
		operation,
		apiKey,
		expiresAt: expiresAt ?? null,
		createdAt: createdAt ?? null,
		message: answer.body.message ?? null,
		note: replaced
			? 'The previous key stopped working: put this one in the UGSMS API credential. Keep it secret; it is saved with this execution’s data.'
			: 'Put this key in a UGSMS API credential. Keep it secret; it is saved with this execution’s data.',
		// The answer without the key, which is already above.
		raw: { ...answer.body, data: rest } as IDataObject,
	};
}

const apiKey: Record<string, ProviderOperation> = {
	generate: {
		name: 'Generate',
		action: 'Generate an API key',
		description: 'Make an API key for the v2 API when the account has none (UGSMS refuses while a key is active)',
		fields: [
			{
				displayName: 'An account without a key signs in with Username and Password: choose that Authentication above (an API key credential needs the key this makes).',
				name: 'ugsmsGenerateNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { authentication: ['apiKey'] } },
			},
			expiryField,
		],
		execute: async (ctx, itemIndex) => await newKey(ctx, itemIndex, 'generateKey'),
	},
	regenerate: {
		name: 'Regenerate',
		action: 'Regenerate the API key',
		description: 'Replace the API key with a new one; the old key stops working at once',
		fields: [expiryField],
		execute: async (ctx, itemIndex) => await newKey(ctx, itemIndex, 'regenerateKey'),
	},
	revoke: {
		name: 'Revoke',
		action: 'Revoke the API key',
		description: 'Remove the API key; the v2 API refuses it from then on',
		fields: [],
		execute: async (ctx, itemIndex) => {
			const auth = authOf(ctx, itemIndex);
			const answer = await once(ctx, ['ugsms/key', 'revoke', itemIndex], [auth], async () =>
				await callUgsms(ctx, auth, { method: 'POST', path: 'api/revoke-key', body: {}, itemIndex, whenLost: 'UGSMS may already have revoked the key' }),
			);
			return {
				provider: PROVIDER_ID,
				operation: 'revokeKey',
				revoked: true,
				message: answer.body.message ?? null,
				note: 'The API key no longer works: requests with Authentication: API Key fail until a new key is generated.',
				raw: answer.body as IDataObject,
			};
		},
	},
};

export const operations = { account, apiKey };
