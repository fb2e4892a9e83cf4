import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import * as contact from './actions/contact';
import * as device from './actions/device';
import * as message from './actions/message';
import * as newsletter from './actions/newsletter';
import * as provided from './actions/provided';
import * as tag from './actions/tag';
import { route } from './actions/router';
import { arrangeByAction } from './descriptions/actions';
import { credentials, providerFields, subtitle } from './descriptions/provider';
import { searchDevices } from './methods/listSearch';
import { credentialsShownOnlyFor } from './shared/descriptions';

/** Resource → Operation → Provider, then each provider's fields (see arrangeByAction). */
const properties = arrangeByAction([
	...providerFields,
	...message.description,
	...device.description,
	...tag.description,
	...contact.description,
	...newsletter.description,
	...provided.description,
]);

export class SmsGateway implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SMS Gateway',
		name: 'smsGateway',
		icon: { light: 'file:smsGateway.svg', dark: 'file:smsGateway.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle,
		description: 'Send and track SMS, WhatsApp and RCS messages through SMSGateway24, MessageFlow, SMS Bridge or UGSMS',
		defaults: { name: 'SMS Gateway' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: credentialsShownOnlyFor(credentials, properties),
		properties,
	};

	methods = {
		listSearch: { searchDevices },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route(this);
	}
}
