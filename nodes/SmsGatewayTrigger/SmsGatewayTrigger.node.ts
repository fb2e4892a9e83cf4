import {
	NodeConnectionTypes,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { checkWebhookSecret } from './credentialTest';
import { webhookProperties, webhookSubtitle } from './descriptions';
import { handleWebhook } from './webhook';

/**
 * SMS Gateway Trigger: providers post delivery reports and incoming messages to this node's URL.
 * Polling lives in its own node (SMS Gateway Poll Trigger): n8n cannot switch a node's webhooks
 * off, and a polling node always shows the poll-time fields.
 */
export class SmsGatewayTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SMS Gateway Trigger',
		name: 'smsGatewayTrigger',
		icon: { light: 'file:smsGatewayTrigger.svg', dark: 'file:smsGatewayTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: webhookSubtitle,
		// n8n's nodes panel shows this node and the SMS Gateway node as one entry, described by this
		// text: it says what both do.
		description: 'Send and track SMS, WhatsApp and RCS; start workflows when SMSGateway24 or MessageFlow reports a delivery or an incoming message',
		defaults: { name: 'SMS Gateway Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		// The secrets the provider's panel sends, in this package's own credential types.
		credentials: [
			{
				name: 'smsGatewayWebhookHeaderAuthApi',
				required: true,
				displayOptions: { show: { authentication: ['headerAuth'] } },
				testedBy: 'checkWebhookSecret',
			},
			{
				name: 'smsGatewayWebhookBasicAuthApi',
				required: true,
				displayOptions: { show: { authentication: ['basicAuth'] } },
				testedBy: 'checkWebhookSecret',
			},
		],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'sms' }],
		properties: webhookProperties,
	};

	methods = {
		credentialTest: { checkWebhookSecret },
	};

	// Neither SMSGateway24 nor MessageFlow has an API to register webhooks: the user pastes the URL
	// into the provider's panel (the node says where). So there is nothing to check, create or
	// delete on the provider's side; these only say so in n8n's log.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				// Nothing to look up; false lets n8n call create(), which explains the manual step.
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				this.logger.info(
					`SMS Gateway Trigger "${this.getNode().name}": listening. The provider has no API to register webhooks; paste this node's Production URL into the provider's panel (see the node).`,
				);
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				this.logger.info(
					`SMS Gateway Trigger "${this.getNode().name}": stopped listening. Remove the URL from the provider's panel if the workflow stays inactive, or its requests will be refused.`,
				);
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleWebhook(this);
	}
}
