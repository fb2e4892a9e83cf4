import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';
import { compareText } from '../SmsGateway/shared/descriptions';
import { DEFAULT_EVENTS, eventOptions } from '../SmsGateway/shared/events';
import type { NormalisedStatus } from '../SmsGateway/shared/types';
import { pollProviders, webhookProviders, type TriggerProvider } from './registry';

/** The parameters of both trigger nodes, built from the trigger registry. */

export const WEBHOOK_HEADER_CREDENTIAL = 'smsGatewayWebhookHeaderAuthApi';
export const WEBHOOK_BASIC_CREDENTIAL = 'smsGatewayWebhookBasicAuthApi';

function providerField(providers: TriggerProvider[], description: string): INodeProperties {
	return {
		displayName: 'Provider',
		name: 'provider',
		type: 'options',
		noDataExpression: true,
		options: providers.map((provider) => ({ name: provider.displayName, value: provider.id })),
		default: 'smsGateway24',
		description,
	};
}

function eventsField(providerId: string, statuses: NormalisedStatus[]): INodeProperties {
	const field: INodeProperties = {
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		noDataExpression: true,
		displayOptions: { show: { provider: [providerId] } },
		options: eventOptions(statuses),
		default: [],
		description: 'What starts the workflow. Intermediate steps (Queued, Sending, Sent) are off by default.',
	};
	// Outcomes are preselected; a provider whose events are all intermediate steps (a queue)
	// starts with all of them on, or it would start nothing.
	const outcomes = DEFAULT_EVENTS.filter((status) => statuses.includes(status));
	field.default = outcomes.length > 0 ? outcomes : [...statuses];
	if (outcomes.length === 0) field.description = 'What starts the workflow (on by default)';
	return field;
}

/** A provider's Options collection, or nothing when it has no options. */
function optionsField(providerId: string, options: INodeProperties[]): INodeProperties[] {
	if (options.length === 0) return [];
	return [
		{
			displayName: 'Options',
			name: 'options',
			description: 'Optional settings; add only the ones you need',
			type: 'collection',
			placeholder: 'Add option',
			default: {},
			displayOptions: { show: { provider: [providerId] } },
			options,
		},
	];
}

function subtitleFor(providers: TriggerProvider[], kind: string): string {
	const names = JSON.stringify(Object.fromEntries(providers.map((provider) => [provider.id, provider.displayName])));
	return `={{ ${names}[$parameter["provider"]] + ": ${kind}" }}`;
}

/** SMS Gateway Trigger (webhook). */

const hooked = webhookProviders();

export const webhookSubtitle = subtitleFor(hooked, 'webhook');

export const webhookProperties: INodeProperties[] = [
	providerField(hooked, 'The SMS service whose webhooks call this workflow'),
	...hooked.map(
		(provider): INodeProperties => ({
			displayName: provider.webhook.setup,
			name: 'setupNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { provider: [provider.id] } },
		}),
	),
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'None', value: 'none', description: 'Only the secret URL protects the workflow' },
			{ name: 'Header Auth', value: 'headerAuth', description: 'The provider sends a header with a secret value' },
			{ name: 'Basic Auth', value: 'basicAuth', description: 'The provider sends a user name and password (HTTP basic auth)' },
		],
		default: 'none',
		description:
			'What the provider’s panel sends with each webhook. Requests without it are refused (401) and start nothing. The values are kept in an n8n credential.',
	},
	...hooked.map((provider) => eventsField(provider.id, provider.webhook.events)),
	...hooked.flatMap((provider) => optionsField(provider.id, provider.webhook.options)),
];

/** SMS Gateway Poll Trigger. */

const polled = pollProviders();

export const pollSubtitle = subtitleFor(polled, 'poll');

export const pollCredentials: INodeCredentialDescription[] = polled.map((provider) => ({
	name: provider.poll.credentialType,
	required: true,
	displayOptions: { show: { provider: [provider.id] } },
}));

export const DEFAULT_TRACKING_HOURS = 48;

export const FIRST_POLL_OPTIONS = [
	{ name: 'Only New Events', value: 'new', description: 'Messages that exist at activation are remembered, not reported' },
	{
		name: 'Also Report Recent Messages',
		value: 'recent',
		description: 'The first poll reports the current status of every message of the tracking window',
	},
];

const commonPollOptions: INodeProperties[] = [
	{
		displayName: 'On First Poll',
		name: 'firstPoll',
		type: 'options',
		options: FIRST_POLL_OPTIONS,
		default: 'new',
		description: 'What the first poll after activation (or after changing the provider) does with messages that already exist',
	},
	{
		displayName: 'Tracking Window (Hours)',
		name: 'trackingHours',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 720 },
		default: DEFAULT_TRACKING_HOURS,
		description:
			'How long after its creation a sent message’s status is followed. Fetch Test Event also looks this far back. Longer windows mean larger lists on every poll.',
	},
];

export const pollProperties: INodeProperties[] = [
	providerField(polled, 'The SMS service to ask for new events'),
	...polled.map((provider) => eventsField(provider.id, provider.poll.events)),
	...polled.flatMap((provider) =>
		provider.poll.fields.map((field): INodeProperties => ({ ...field, displayOptions: { show: { provider: [provider.id] } } })),
	),
	// On First Poll and Tracking Window are about a provider's message list; a queue that is claimed
	// (SMS Bridge) has neither, so it is not offered them (nor an empty Options list).
	...polled.flatMap((provider) =>
		optionsField(provider.id, [...(provider.poll.kind === 'list' ? commonPollOptions : []), ...provider.poll.options].sort((a, b) => compareText(a.displayName, b.displayName))),
	),
];
