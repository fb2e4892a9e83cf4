import { Workflow, type IDataObject, type IExecuteFunctions, type IGetNodeParameterOptions, type INodeExecutionData, type INodeParameters, type INodeTypes } from 'n8n-workflow';
import { parseFieldRead, parseFieldTemplate, withBulkParameters } from '../../nodes/SmsGateway/shared/parameters';

/**
 * A context whose getNodeParameter does what n8n-core's does, with n8n-workflow's real expression
 * engine: raw values on request, expressions resolved per item against `$json`, resource locators
 * unwrapped with extractValue. It counts the calls, to show which ones the bulk view saves.
 */
function n8nContext(parameters: INodeParameters, items: INodeExecutionData[]) {
	const node = { id: 'n', name: 'Send', type: 'test.node', typeVersion: 1, position: [0, 0] as [number, number], parameters };
	const nodeTypes = {
		getByName: () => ({ description: { properties: [] } }),
		getByNameAndVersion: () => ({ description: { properties: [] } }),
		getKnownTypes: () => ({}),
	} as unknown as INodeTypes;
	const workflow = new Workflow({ id: 'w', nodes: [node], connections: {}, active: false, nodeTypes });
	const runData = { resultData: { runData: {} } } as never;
	const calls = { total: 0, resolved: 0 };
	const ctx = {
		getInputData: () => items,
		continueOnFail: () => false,
		getNodeParameter(name: string, itemIndex: number, fallback?: unknown, options?: IGetNodeParameterOptions) {
			calls.total += 1;
			const raw = (parameters as IDataObject)[name] ?? fallback;
			if (raw === undefined) throw new Error(`Could not get parameter "${name}"`);
			if (options?.rawExpressions) return raw;
			calls.resolved += 1;
			let value = workflow.expression.getParameterValue(raw as never, runData, 0, itemIndex, 'Send', items, 'manual', {}, undefined) as unknown;
			if (options?.extractValue && value && typeof value === 'object' && '__rl' in value) value = (value as IDataObject).value;
			return value;
		},
	};
	return { ctx: ctx as unknown as IExecuteFunctions, calls };
}

const items: INodeExecutionData[] = [
	{ json: { phone: '+4915710100000', firstName: 'Ann', code: 7, customer: { 'first name': 'Ann B' } } },
	{ json: { phone: '+4915710100001', firstName: 'Bob', code: 8, customer: { 'first name': 'Bob C' } } },
	{ json: { phone: 4915710100002, firstName: null, code: 9, customer: 'none' } },
	{ json: { firstName: 'Eve', code: 10 } },
];

describe('bulk parameter reading', () => {
	it('parses only plain field reads of $json', () => {
		expect(parseFieldRead(' $json.phone ')).toEqual(['phone']);
		expect(parseFieldRead("$json.customer['first name']")).toEqual(['customer', 'first name']);
		expect(parseFieldRead('$json["a"].b')).toEqual(['a', 'b']);
		for (const code of ['$json', '$json.phone.trim()', '$json.a + 1', "$('Node').item.json.a", '$json.__proto__', '$json.constructor', '$json[0]', '$json.a || $json.b']) {
			expect(parseFieldRead(code)).toBeUndefined();
		}
		expect(parseFieldTemplate('={{ $json.phone }}')).toEqual([{ path: ['phone'] }]);
		expect(parseFieldTemplate('=Hi {{ $json.firstName }}!')).toEqual([{ text: 'Hi ' }, { path: ['firstName'] }, { text: '!' }]);
		for (const raw of ['Hi {{ $json.a }}', '=no expression', '=a\\{{ $json.a }}', '={ {{ $json.a }}', '={{ $json.a }', '={{ $json.a.toUpperCase() }}']) {
			expect(parseFieldTemplate(raw)).toBeUndefined();
		}
	});

	it('gives exactly what n8n gives, item by item, for field reads, templates, constants and everything else', () => {
		const parameters: INodeParameters = {
			recipients: '={{ $json.phone }}',
			message: '=Hi {{ $json.firstName }}, code {{ $json.code }}',
			greeting: "=Dear {{ $json.customer['first name'] }}",
			upper: '={{ $json.firstName?.toUpperCase() }}',
			sender: 'ACME',
			device: { __rl: true, mode: 'id', value: '260' },
			options: { batchSize: 100, customerReference: '={{ $json.code }}' },
			fixedOptions: { batchSize: 100 },
		};
		const names = ['recipients', 'message', 'greeting', 'upper', 'sender', 'options', 'fixedOptions'];
		const expected = items.map((_, itemIndex) => names.map((name) => n8nContext(parameters, items).ctx.getNodeParameter(name, itemIndex, '')));
		const { ctx } = n8nContext(parameters, items);
		const bulk = withBulkParameters(ctx, items);
		const actual = items.map((_, itemIndex) => names.map((name) => bulk.getNodeParameter(name, itemIndex, '')));
		expect(actual).toEqual(expected);
		expect(bulk.getNodeParameter('device', 3, '', { extractValue: true })).toBe('260');
		expect(bulk.getNodeParameter('missing', 2, 'fallback')).toBe('fallback');
	});

	it('resolves a constant once and reads $json fields without n8n', () => {
		const many = Array.from({ length: 500 }, (_, index) => ({ json: { phone: `+49157101${String(10000 + index)}`, firstName: `P${index}` } }));
		const { ctx, calls } = n8nContext({ recipients: '={{ $json.phone }}', message: '=Hi {{ $json.firstName }}', sender: 'ACME' }, many);
		const bulk = withBulkParameters(ctx, many);
		for (let itemIndex = 0; itemIndex < many.length; itemIndex++) {
			expect(bulk.getNodeParameter('recipients', itemIndex, '')).toBe(many[itemIndex].json.phone);
			expect(bulk.getNodeParameter('message', itemIndex, '')).toBe(`Hi ${many[itemIndex].json.firstName}`);
			expect(bulk.getNodeParameter('sender', itemIndex, '')).toBe('ACME');
			expect(bulk.getNodeParameter('options', itemIndex, {})).toEqual({});
		}
		// One raw look per parameter, one resolution per constant, none per item.
		expect(calls.resolved).toBe(2);
		expect(calls.total).toBe(6);
	});

	it('leaves items whose field is missing, null or not text to n8n, with n8n’s result', () => {
		const { ctx, calls } = n8nContext({ message: '=Hi {{ $json.firstName }}' }, items);
		const bulk = withBulkParameters(ctx, items);
		expect(items.map((_, itemIndex) => bulk.getNodeParameter('message', itemIndex, ''))).toEqual(['Hi Ann', 'Hi Bob', 'Hi ', 'Hi Eve']);
		// Only item 2 (firstName null) was resolved by n8n.
		expect(calls.resolved).toBe(1);
	});

	it('leaves every other expression to n8n, item by item', () => {
		const { ctx, calls } = n8nContext({ upper: '={{ $json.firstName?.toUpperCase() }}' }, items);
		const bulk = withBulkParameters(ctx, items);
		expect(items.map((_, itemIndex) => bulk.getNodeParameter('upper', itemIndex, ''))).toEqual(['ANN', 'BOB', undefined, 'EVE']);
		expect(calls.resolved).toBe(4);
	});

	it('asks n8n for the credentials once per type, also for calls made through it by n8n’s request helper', async () => {
		const { ctx } = n8nContext({}, items);
		let loads = 0;
		let fail = true;
		const withCredentials = {
			...ctx,
			getCredentials: async (type: string) => {
				loads += 1;
				if (type === 'broken' && fail) throw new Error('no credential');
				return { type, key: 'k' };
			},
		} as unknown as IExecuteFunctions;
		const bulk = withBulkParameters(withCredentials, items);
		// n8n's httpRequestWithAuthentication calls `this.getCredentials` on the context it is handed.
		const helper = async function (this: IExecuteFunctions, type: string) {
			return await this.getCredentials(type);
		};
		const results = await Promise.all([bulk.getCredentials('api', 0), bulk.getCredentials('api', 5), helper.call(bulk, 'api')]);
		expect(results[0]).toBe(results[1]);
		expect(results[2]).toBe(results[0]);
		expect(loads).toBe(1);
		await expect(bulk.getCredentials('broken')).rejects.toThrow('no credential');
		fail = false;
		await expect(bulk.getCredentials('broken')).resolves.toEqual({ type: 'broken', key: 'k' });
		expect(loads).toBe(3);
	});

	it('passes every other member through to the real context', () => {
		const { ctx } = n8nContext({}, items);
		const bulk = withBulkParameters(ctx, items);
		expect(bulk.getInputData()).toBe(items);
		expect(bulk.continueOnFail()).toBe(false);
	});
});
