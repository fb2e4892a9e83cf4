import {
	NodeConnectionTypes,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';
import { searchDevices } from '../SmsGateway/methods/listSearch';
import { credentialsShownOnlyFor } from '../SmsGateway/shared/descriptions';
import { pollCredentials, pollProperties, pollSubtitle } from '../SmsGatewayTrigger/descriptions';
import { pollEvents } from '../SmsGatewayTrigger/poll';

/**
 * SMS Gateway Poll Trigger: asks the provider on a schedule what happened to messages (status
 * changes, incoming messages) and starts the workflow once per new event. For n8n instances that
 * providers cannot reach, and for providers without webhooks.
 */
export class SmsGatewayPollTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SMS Gateway Poll Trigger',
		name: 'smsGatewayPollTrigger',
		icon: { light: 'file:smsGatewayPollTrigger.svg', dark: 'file:smsGatewayPollTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: pollSubtitle,
		description: 'Starts the workflow when a message is delivered, fails or is answered (SMSGateway24, MessageFlow), or when SMS Bridge queues a message for n8n to deliver; asks on a schedule',
		defaults: { name: 'SMS Gateway Poll Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: credentialsShownOnlyFor(pollCredentials, pollProperties),
		properties: pollProperties,
	};

	methods = {
		listSearch: { searchDevices },
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollEvents(this);
	}
}
