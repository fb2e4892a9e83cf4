import { NodeHelpers, type INode, type INodeParameters, type INodeProperties, type INodePropertyOptions } from 'n8n-workflow';
import { providedOperation } from '../../nodes/SmsGateway/actions/provided';
import { operations as messageOperations } from '../../nodes/SmsGateway/actions/message';
import { SmsGateway } from '../../nodes/SmsGateway/SmsGateway.node';
import { SmsGatewayPollTrigger } from '../../nodes/SmsGatewayPollTrigger/SmsGatewayPollTrigger.node';
import { SmsGatewayTrigger } from '../../nodes/SmsGatewayTrigger/SmsGatewayTrigger.node';
import { PROVIDERS } from '../../nodes/SmsGateway/providers';

/**
 * What n8n's nodes panel makes of the node: it lists actions from the `resource` and `operation`
 * parameters (for each option of each Resource dropdown, the first Operation dropdown shown for
 * it) and, when one is picked, sets only `resource` and `operation`; n8n fills the rest with defaults.
 */
const description = new SmsGateway().description;
const properties = description.properties;
const byNameOf = (name: string) => properties.filter((property) => property.name === name);
const optionsOf = (property: INodeProperties) => (property.options ?? []) as INodePropertyOptions[];

function panelActions() {
	return byNameOf('resource').flatMap((resourceField) =>
		optionsOf(resourceField).flatMap((resource) => {
			const operationField = properties.find(
				(property) => property.name === 'operation' && (property.displayOptions?.show?.resource as string[] | undefined)?.includes(String(resource.value)),
			);
			return optionsOf(operationField!).map((operation) => ({ resource: String(resource.value), operation: String(operation.value), action: operation.action }));
		}),
	);
}

/** The parameters n8n gives a node added from the panel with this action. */
function nodeFromPanel(resource: string, operation: string) {
	const node: INode = { id: 'n', name: 'SMS Gateway', type: 'smsGateway', typeVersion: 1, position: [0, 0], parameters: { resource, operation } };
	return NodeHelpers.getNodeParameters(properties, node.parameters, true, false, node, description) ?? {};
}

/** What a provider offers: its Message operations and its own resources' operations. */
function offered(providerId: string): Array<{ resource: string; operation: string }> {
	const provider = PROVIDERS.find((candidate) => candidate.id === providerId)!;
	const messaging = Object.keys(provider.messaging)
		.filter((name) => provider.messaging[name as keyof typeof provider.messaging])
		.map((operation) => ({ resource: 'message', operation }));
	const own = Object.entries(provider.operations ?? {}).flatMap(([resource, ops]) => Object.keys(ops).map((operation) => ({ resource, operation })));
	const smsGateway24Only =
		providerId === 'smsGateway24'
			? [
					{ resource: 'device', operation: 'getMany' },
					{ resource: 'device', operation: 'getStatus' },
					{ resource: 'tag', operation: 'create' },
					{ resource: 'contact', operation: 'create' },
					{ resource: 'newsletter', operation: 'create' },
				]
			: [];
	return [...messaging, ...own, ...smsGateway24Only];
}

/** The Provider dropdown shown for a resource and operation. */
function providerChoices(resource: string, operation: string): string[] {
	const fields = byNameOf('provider').filter((field) => {
		const show = field.displayOptions?.show ?? {};
		return (show.resource as string[]).includes(resource) && (show.operation as string[]).includes(operation);
	});
	expect(fields).toHaveLength(1);
	return optionsOf(fields[0]).map((option) => String(option.value));
}

describe('node layout in the editor', () => {
	it('has one Resource dropdown, so the nodes panel lists each action once', () => {
		expect(byNameOf('resource')).toHaveLength(1);
		const actions = panelActions();
		const keys = actions.map((a) => `${a.resource}.${a.operation}`);
		expect(new Set(keys).size).toBe(keys.length);
		const texts = actions.map((a) => a.action);
		expect(new Set(texts).size).toBe(texts.length);
		// Sentences that start with a verb, as n8n's panel shows them ("Send a message").
		for (const text of texts) expect(text).toMatch(/^[A-Z][a-z]+ [a-z][^.]*[A-Za-z]$/);
		expect(texts).toEqual(expect.arrayContaining(['Send a message', 'Send many messages in bulk', 'Get the status of a message', 'Generate an API key', 'Claim pending messages from the queue']));
	});

	it.each(PROVIDERS.map((provider) => provider.id))('lists every operation %s offers, with it in the Provider dropdown', (providerId) => {
		const listed = new Set(panelActions().map((a) => `${a.resource}.${a.operation}`));
		for (const { resource, operation } of offered(providerId)) {
			expect(listed).toContain(`${resource}.${operation}`);
			expect(providerChoices(resource, operation)).toContain(providerId);
		}
	});

	it('offers in each Provider dropdown only services that can run that operation', () => {
		for (const { resource, operation } of panelActions()) {
			for (const providerId of providerChoices(resource, operation)) {
				expect(offered(providerId)).toContainEqual({ resource, operation });
			}
		}
	});

	it('gives every action picked in the panel a provider that runs it', () => {
		for (const { resource, operation } of panelActions()) {
			const parameters = nodeFromPanel(resource, operation);
			expect({ resource, operation, provider: parameters.provider }).toEqual({ resource, operation, provider: providerChoices(resource, operation)[0] });
			const provider = PROVIDERS.find((candidate) => candidate.id === parameters.provider)!;
			const runs = resource === 'message' ? (messageOperations as Record<string, unknown>)[operation] !== undefined : providedOperation(provider, resource, operation) !== undefined || offered(provider.id).some((o) => o.resource === resource && o.operation === operation);
			expect(runs).toBe(true);
		}
	});

	it('shows each provider its own credential, and keeps Provider visible', () => {
		// n8n's editor hides a parameter that credentials' `show` conditions depend on (and what
		// that parameter depends on): no credential may have them (see credentialsShownOnlyFor).
		for (const credential of description.credentials ?? []) expect(credential.displayOptions?.show).toBeUndefined();
		const node: INode = { id: 'n', name: 'SMS Gateway', type: 'smsGateway', typeVersion: 1, position: [0, 0], parameters: {} };
		const shown = (parameters: Record<string, string>) => {
			const resolved = NodeHelpers.getNodeParameters(properties, { resource: 'message', operation: 'send', ...parameters }, true, false, node, description) ?? {};
			return (description.credentials ?? []).filter((credential) => NodeHelpers.displayParameter(resolved, credential, node, description)).map((c) => c.name);
		};
		expect(shown({ provider: 'smsGateway24' })).toEqual(['smsGateway24Api']);
		expect(shown({ provider: 'messageFlow' })).toEqual(['messageFlowApi']);
		expect(shown({ provider: 'smsBridge' })).toEqual(['smsBridgeApi']);
		expect(shown({ provider: 'ugsms' })).toEqual(['ugsmsApi']);
		expect(shown({ provider: 'ugsms', authentication: 'usernamePassword' })).toEqual(['ugsmsAccountApi']);
	});

	it('lets an SMSGateway24 WhatsApp image go without text (n8n does not run a node with an empty required field)', () => {
		const node: INode = { id: 'n', name: 'SMS Gateway', type: 'smsGateway', typeVersion: 1, position: [0, 0], parameters: {} };
		node.parameters = NodeHelpers.getNodeParameters(
			properties,
			{ resource: 'message', operation: 'send', provider: 'smsGateway24', recipients: '+4915752982212', message: '', device: { __rl: true, mode: 'id', value: '260' }, channel: 4, smsGateway24Options: { imageBinaryProperty: 'data' } },
			true,
			false,
			node,
			description,
		)!;
		expect(NodeHelpers.getNodeParametersIssues(properties, node, description)?.parameters?.message).toBeUndefined();
	});

	it('no provider’s field takes another provider’s value when the Provider is changed', () => {
		// n8n keeps a value across a Provider change when the next provider's field has the same
		// name: a field shown for two providers must mean the same thing for both, default included.
		const node: INode = { id: 'n', name: 'SMS Gateway', type: 'smsGateway', typeVersion: 1, position: [0, 0], parameters: {} };
		const resolve = (parameters: INodeParameters) => NodeHelpers.getNodeParameters(properties, parameters, true, false, node, description) ?? {};
		for (const operation of ['send', 'sendBulk']) {
			for (const from of PROVIDERS) {
				for (const to of PROVIDERS) {
					if (from === to) continue;
					const switched = resolve({ ...resolve({ resource: 'message', operation, provider: from.id }), provider: to.id });
					const fresh = resolve({ resource: 'message', operation, provider: to.id });
					expect([from.id, to.id, operation, switched]).toEqual([from.id, to.id, operation, fresh]);
				}
			}
		}
	});
});

describe('poll trigger layout in the editor', () => {
	it('shows each provider its own credential, and keeps Provider visible', () => {
		const poll = new SmsGatewayPollTrigger().description;
		for (const credential of poll.credentials ?? []) expect(credential.displayOptions?.show).toBeUndefined();
		const node: INode = { id: 'p', name: 'Poll', type: 'smsGatewayPollTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
		const providerField = poll.properties.find((property) => property.name === 'provider')!;
		for (const option of optionsOf(providerField)) {
			const resolved = NodeHelpers.getNodeParameters(poll.properties, { provider: option.value as string }, true, false, node, poll) ?? {};
			const shown = (poll.credentials ?? []).filter((credential) => NodeHelpers.displayParameter(resolved, credential, node, poll));
			expect(shown).toHaveLength(1);
		}
	});
});

describe('help on every field', () => {
	it.each([
		['SMS Gateway', new SmsGateway().description],
		['SMS Gateway Trigger', new SmsGatewayTrigger().description],
		['SMS Gateway Poll Trigger', new SmsGatewayPollTrigger().description],
	])('%s: every parameter has a description (n8n shows it as the help icon)', (_name, nodeDescription) => {
		const missing = nodeDescription.properties.filter((property) => property.type !== 'notice' && !property.description).map((property) => property.name);
		expect(missing).toEqual([]);
	});

	it('describes each Operation dropdown in the words of its resource', () => {
		const texts = byNameOf('operation').map((property) => property.description);
		expect(texts).toEqual(expect.arrayContaining(['What to do with the message', 'What to do with the API key', 'What to do with the sender ID', 'What to do with the gateway queue']));
	});
});

describe('SMS Gateway Poll Trigger and credentials, as the editor checks them', () => {
	const poll = new SmsGatewayPollTrigger().description;
	const nodeWith = (parameters: Record<string, unknown>): INode => ({ id: 'p', name: 'Poll', type: 'smsGatewayPollTrigger', typeVersion: 1, position: [0, 0], parameters: parameters as INode['parameters'] });

	it('an empty Device (all phones) is no issue; a device ID that is not a number is', () => {
		const issues = (value: string) => {
			const node = nodeWith({ provider: 'smsGateway24', device: { __rl: true, mode: 'id', value } });
			node.parameters = NodeHelpers.getNodeParameters(poll.properties, node.parameters, true, false, node, poll) ?? {};
			return NodeHelpers.getNodeParametersIssues(poll.properties, node, poll);
		};
		expect(issues('')).toBeNull();
		expect(JSON.stringify(issues('phone'))).toContain('A device ID is a number');
	});

	it('SMS Bridge (a claimed queue) is not offered On First Poll or Tracking Window', () => {
		const options = poll.properties.filter((property) => property.name === 'options' && (property.displayOptions?.show?.provider as string[]).includes('smsBridge'));
		expect(options).toEqual([]);
		const listOptions = poll.properties.find((property) => property.name === 'options' && (property.displayOptions?.show?.provider as string[]).includes('messageFlow'));
		expect(((listOptions?.options ?? []) as INodeProperties[]).map((option) => option.name)).toEqual(expect.arrayContaining(['firstPoll', 'trackingHours']));
	});

	it('the SMSGateway24 credential’s notice names its sign-in choices as they are labelled', async () => {
		const { SmsGateway24Api } = await import('../../credentials/SmsGateway24Api.credentials');
		const credential = new SmsGateway24Api();
		const notice = credential.properties.find((property) => property.type === 'notice')!.displayName;
		const labels = ((credential.properties.find((property) => property.name === 'authMethod')!.options ?? []) as INodePropertyOptions[]).map((option) => option.name);
		expect(labels.filter((label) => notice.includes(label.toLowerCase()) || notice.includes(label))).toHaveLength(labels.length);
	});
});
